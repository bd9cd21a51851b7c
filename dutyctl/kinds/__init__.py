"""One module per record kind; each registers its KindSpec when imported (see records.kinds)."""
