-- wrk script: GET with the bearer token from $HARU_TOKEN (sent to nginx too, so both peers
-- receive the same request bytes). Used by `bench/run.sh get`.
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("HARU_TOKEN") or "")
wrk.headers["Accept"] = "application/json"
