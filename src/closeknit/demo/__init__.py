"""Demo members with realistic data, for exploring Closeknit and for benchmarks."""
