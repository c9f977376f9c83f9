-- wrk-status.lua: count wrk's answers by HTTP status, for t/lib-load.sh.
--
--	wrk -t N -c N -s wrk-status.lua ... URL -- DIR
--
-- One connection per thread (-t equal to -c), so that what a thread saw
-- is what one client saw.  Each thread counts the statuses it got and
-- how many 2xx answers came after its last non-2xx one (its "tail").
-- It writes "ok N" or "failed N" to DIR/ID (N: its 2xx answers so far)
-- when its last answer changes from 2xx to failure or back, and every
-- 50 2xx answers: seldom enough to cost nothing under load, often
-- enough for a test to poll until every client was served again.
-- At the end wrk prints, after its usual report, lines that
-- t/lib-load.sh reads:
--	status CODE COUNT		one per status seen
--	errors connect N read N write N timeout N
--	thread ID tail N		2xx answers after the thread's last failure
--	sample STATUS RETRY-AFTER BODY	the first non-2xx answer of each thread
--					(RETRY-AFTER "-" when absent)
--	requests N

local threads = {}

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

function init(args)
	dir = args[1]
	counts = {}
	tail = 0
	served = 0
	failing = true
	sample = ""
end

local function mark(state)
	if dir then
		local f = io.open(dir .. "/" .. id, "w")
		if f then
			f:write(state, " ", served, "\n")
			f:close()
		end
	end
end

function response(status, headers, body)
	counts[status] = (counts[status] or 0) + 1
	if status >= 200 and status < 300 then
		tail = tail + 1
		served = served + 1
		if failing or served % 50 == 0 then
			failing = false
			mark("ok")
		end
		return
	end
	tail = 0
	if not failing then
		failing = true
		mark("failed")
	end
	if sample == "" then
		sample = string.format("%d %s %s", status,
		    headers["Retry-After"] or "-",
		    ((body or ""):gsub("[\r\n]", " ")))
	end
end

function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		for code, n in pairs(t:get("counts")) do
			total[code] = (total[code] or 0) + n
		end
	end
	for code, n in pairs(total) do
		io.write(string.format("status %d %d\n", code, n))
	end
	local e = summary.errors
	io.write(string.format("errors connect %d read %d write %d timeout %d\n",
	    e.connect, e.read, e.write, e.timeout))
	for _, t in ipairs(threads) do
		io.write(string.format("thread %d tail %d\n", t:get("id"),
		    t:get("tail")))
		if t:get("sample") ~= "" then
			io.write("sample " .. t:get("sample") .. "\n")
		end
	end
	io.write(string.format("requests %d\n", summary.requests))
end
