"""Measurement, never imported by the product: `quality/` (`make eval`), `speed/` (`make bench`),
`load/` (`make load`), and the helpers they share here."""
