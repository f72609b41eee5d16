cargo install sample-installer-marker
