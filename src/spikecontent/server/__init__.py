"""Running the API (:mod:`spikecontent.api`) as ``spikecontent serve`` does: uvicorn's
settings and its bounded protocol, workers, the log configuration, watching the folders
and SIGHUP. The app never imports this package: ``create_api`` serves without it."""
