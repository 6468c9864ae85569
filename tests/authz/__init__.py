"""The broad checks held over every route: the authorization matrix and the fuzzing."""
