// hello.rs line 1
fn line_two_marker() {}
fn line_three_marker() {}
fn line_four_marker() {}
fn line_five_marker() {}
fn line_six_marker() {}
fn line_seven_marker() {}
