"""The format-neutral document model, what composes it from a spec, and what compares two specs."""
