"""Everything the bot sends without an incoming update, in one package:

* :mod:`bot.sending.delivery` — the outbox sender: HR's cards and CVs, the applicants'
  notices, the admins' outage alerts (rows of ``bot.services.outbox``);
* :mod:`bot.sending.announcer` — vacancy announcements and the weekly digest, held for the
  quiet hours; :mod:`bot.sending.channel` — the post of every announcement to
  ``CHANNEL_ID``;
* :mod:`bot.sending.engine` — :class:`~bot.sending.engine.DeliveryEngine` sends a
  materialized broadcast (token bucket, per-chat interval, a per-chat 429 defers that chat
  only, a bot-wide flood wait pauses everything, unsubscribe on 403, retries with backoff,
  group-committed «sent» marks: duplicates after a crash are bounded by ``max_in_flight``);
  :mod:`bot.sending.ratelimit` — its token bucket, per-chat limiter and flood detector;
* :mod:`bot.sending.runner` — :class:`~bot.sending.runner.BroadcastRunner` (background, one
  broadcast at a time, resume at start-up) and HR's progress message.

The broadcasts' rows (create, materialize, cancel, list, counters) are plain Python on the
database in :mod:`bot.services.broadcasts`; the jobs that run all this are ``bot.jobs``'s.
Nothing here imports the handlers, the dialogs or the jobs.
"""
