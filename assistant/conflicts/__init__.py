"""Where sources disagree: claims, alignment, the answers sources give, comparison and kinds."""
