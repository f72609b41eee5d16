# fn main() {
let rustdoc_visible_marker = 42;
# let rustdoc_hidden_marker = 0;
# }
