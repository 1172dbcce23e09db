"""From spec files to published deliverables: build, batch, parallel rendering, manifests, health."""
