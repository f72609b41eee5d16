use std::io;

// ANCHOR: setup
fn setup_anchor_marker() -> io::Result<()> {
    Ok(())
}
// ANCHOR_END: setup

fn main() {
    // ANCHOR: main_body
    # let hidden_in_anchor = 1;
    let main_body_marker = setup_anchor_marker();
    // ANCHOR_END: main_body
}
