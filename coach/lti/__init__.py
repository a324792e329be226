"""LTI 1.3 (LTI Advantage): coach as a tool inside Moodle, Canvas and other LMSs.

``config`` keeps the tool's keys and the registered platforms, ``storage`` what pylti1p3 keeps
between the login and the launch (on the database, nonces used once), ``adapter`` fits pylti1p3
to Starlette, ``launches`` turns a validated launch into a person, a course and an activity,
``grades`` sends finished rehearsals to the gradebook, ``routes`` serves all of it next to the
app (``/lti/...``).
"""
