"""Understanding free text, one small part per module (answers, ...)."""
