"""Understanding free text: small parts, each in its own module, with one job each."""
