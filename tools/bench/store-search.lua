-- wrk script: POST /store/items/search ranked by a two-word query, after
-- store-put.lua filled the store.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"namespace_prefix":["bench"],"query":"rollback canary","limit":10}'
