fn playground_marker() {}
