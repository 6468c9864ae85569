"""Training services by topic: catalogue, sessions, scores, certifications, profiles."""
