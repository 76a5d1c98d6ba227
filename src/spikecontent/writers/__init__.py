"""The built-in channel writers.

Each is registered under the ``spikecontent.writers`` entry-point group in
``pyproject.toml``, exactly as a third-party writer would be; nothing imports them directly.
"""
