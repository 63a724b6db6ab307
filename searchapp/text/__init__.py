"""Text analysis, the bottom layer: tokens, folding, stems, morphology and name keys."""
