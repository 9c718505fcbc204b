"""How the bot runs in production: roles (``serve``, ``worker``, ``migrate``), the worker's
lease, and the handoff of work from ``serve`` to the worker (see :mod:`bot.runtime.roles`)."""
