"""Metrics (Prometheus, :mod:`bot.observability.metrics`) and JSON logs
(:mod:`bot.observability.logs`)."""
