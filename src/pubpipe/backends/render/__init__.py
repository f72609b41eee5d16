"""What only rendering uses: pandoc's HTML writer, raw HTML, formulas, fonts and their subsets, page lists."""
