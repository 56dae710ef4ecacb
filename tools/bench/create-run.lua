-- wrk script: POST /runs (durable, answered once committed) for the sentiment agent.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent_name":"sentiment","task":"The new release is fast and reliable, and support answered within minutes."}'
