-- wrk script: POST /agent/invoke to the sentiment agent with a real review.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent_name":"sentiment","task":"The new release is fast and reliable, and support answered within minutes. The only downside is that the export button is still hard to find, but overall we are very happy with it."}'
