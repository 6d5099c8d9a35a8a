-- gitops_core Lua sandbox driver: runs once per Lua runtime and returns the entry points.
--
-- It rebuilds the environment Argo CD gives health scripts (gopher-lua, util/lua/lua.go) on top
-- of LuaJIT (JIT off) or PUC Lua 5.4: two library modes, the safe `os`, `obj` converted lazily
-- from Python, gopher-json's encoding rules for the returned value and the result table of
-- ExecuteHealthLua. Everything the scripts can reach is built here from locals captured before
-- the dangerous globals are dropped; no function defined here reads a global at run time, so a
-- script calling setfenv on one of them cannot break later evaluations.
--
-- Arguments (from Python): get/all/items, the lazy conversion of `obj` (below);
-- clock() -> monotonic seconds; os_date(fmt, t|nil) and os_time(...) -> the safe os functions;
-- is54: true on the Lua 5.4 fallback runtime.

local get, all, items, clock, py_os_date, py_os_time, is54 = ...

local type, next, pairs, ipairs, select, tostring, tonumber, error, assert, pcall, xpcall =
  type, next, pairs, ipairs, select, tostring, tonumber, error, assert, pcall, xpcall
local rawget, rawset, rawequal, setmetatable, getmetatable =
  rawget, rawset, rawequal, setmetatable, getmetatable
local unpack = unpack or table.unpack
local setfenv, getfenv = setfenv, getfenv
local loadstring = loadstring or load
local collectgarbage = collectgarbage
local string, table, math, coroutine = string, table, math, coroutine
local sfind, sformat, sgsub, sbyte, ssub, slower, srep, smatch =
  string.find, string.format, string.gsub, string.byte, string.sub, string.lower, string.rep,
  string.match
local tsort, tconcat = table.sort, table.concat
local floor, huge = math.floor, math.huge
local dsethook, dgetinfo, dsetmetatable, dsetupvalue =
  debug.sethook, debug.getinfo, debug.setmetatable, debug.setupvalue
local co_resume, co_wrap, co_create = coroutine.resume, coroutine.wrap, coroutine.create

-- table.new preallocates (LuaJIT): growing a table one key at a time reallocates it each time
local tnew = nil
if jit then
  local ok, new = pcall(require, "table.new")
  if ok then
    tnew = new
  end
end
if tnew == nil then
  tnew = function()
    return {}
  end
end

if jit then
  -- Compiled traces do not run count hooks: the instruction budget needs the interpreter.
  jit.off()
  jit.flush()
end

local string_mt = getmetatable("")

-- --------------------------------------------------------------------------------------------
-- Lazy conversion of `obj` (gopher-lua's decodeValue, done on demand, one key at a time).
-- Python numbers every dict and list it hands over (a "handle"; Python objects never enter
-- Lua). A table made from a dict starts empty with the LAZY metatable: reading a key asks
-- Python for that one value (a scalar, nil, or a new handle) and stores it raw, so later reads
-- are plain table reads; writing a key just records it. A list is built whole when reached (so
-- `#` and ipairs work), its dict items again as LAZY tables. Functions that look at raw
-- contents (pairs, next, rawget, #, the table library, ...) fill the table completely first;
-- after that it is a plain Lua table. Python drops nulls: a null map value is an absent key, a
-- null list item is skipped.
--
-- get(handle, key) returns: a scalar; nil (absent or null); MAP, handle (a dict); LIST, handle
-- (a list). items(handle) returns a list's items: scalars, or MAP, handle / LIST, handle; or
-- ONE, Lua table holding them (a long list). all(handle) returns the whole map as key, value
-- pairs with values in the same forms.
-- --------------------------------------------------------------------------------------------

local pending = {}          -- LAZY table -> handle of its Python dict
local known = {}            -- LAZY table -> { key = true } read or written already
local LAZY = {}
local MAP, LIST, ONE = {}, {}, {}

-- lupa refuses Python ints beyond int64 with this error; the evaluation is then run again with
-- such ints passed as floats (Go's float64), see LuaEngine.run_health.
local OVERFLOW = "Python int too large to convert to C long"
local abort = nil

-- Access profiles. During a script's first evaluations every key it reads on `obj` is noted in
-- a tree (per compiled chunk); Python then turns the tree into a "program" and, for later
-- evaluations, extracts those values in one go and passes them with the call (see prefill).
-- Keys outside the program are still read lazily, so the profile only affects speed.
local paths = nil           -- LAZY table -> its profile node, while learning
local profiles = setmetatable({}, { __mode = "k" })   -- chunk -> profile tree
local ITEMS = "\0items"    -- profile key of the items of a list

-- `known` of a table starts as a shared read-only set (empty, or the keys its program
-- prefilled); a table gets its own set, chained to the shared one, on its first mark.
local SHARED = setmetatable({}, { __mode = "k" })
local EMPTY_KNOWN = {}
SHARED[EMPTY_KNOWN] = true

local function lazy_map(handle, node, size)
  local t = setmetatable(size and tnew(0, size) or {}, LAZY)
  pending[t] = handle
  known[t] = EMPTY_KNOWN
  if node ~= nil and paths ~= nil then
    paths[t] = node
  end
  return t
end

local function profile_child(node, k)
  local sub = node[k]
  if type(sub) ~= "table" then
    sub = {}
    node[k] = sub
  end
  return sub
end

local function packed(...)
  local n = select("#", ...)
  if n == 0 then
    return {}, 0
  end
  local first = ...
  if first == ONE then
    local _, a = ...
    return a, #a
  end
  return { ... }, n
end

local build_list

local function list_from(node, a, i, n)
  -- items a[i..n]: scalars, or MAP, handle / LIST, handle
  local t = {}
  local idx = 0
  while i <= n do
    local v = a[i]
    idx = idx + 1
    if v == MAP then
      t[idx] = lazy_map(a[i + 1], node)
      i = i + 2
    elseif v == LIST then
      t[idx] = build_list(nil, items(a[i + 1]))
      i = i + 2
    else
      t[idx] = v
      i = i + 1
    end
  end
  return t
end

function build_list(node, ...)
  local a, n = packed(...)
  return list_from(node, a, 1, n)
end

local function own_known(t)
  local seen = known[t]
  if SHARED[seen] then
    seen = setmetatable({}, { __index = seen })
    known[t] = seen
  end
  return seen
end

LAZY.__index = function(t, k)
  local seen = known[t]
  if seen[k] then
    return nil   -- read before and absent, or written by the script
  end
  if SHARED[seen] then
    seen = own_known(t)
  end
  seen[k] = true
  local v, handle = get(pending[t], k)
  local node = paths and paths[t]
  if v == MAP then
    v = lazy_map(handle, node and profile_child(node, k))
  elseif v == LIST then
    v = build_list(node and profile_child(profile_child(node, k), ITEMS), items(handle))
  else
    if node and node[k] == nil then
      node[k] = true
    end
    if v == nil then
      return nil
    end
  end
  rawset(t, k, v)
  return v
end

LAZY.__newindex = function(t, k, v)
  own_known(t)[k] = true
  rawset(t, k, v)
end

local function fill_all(t, a, n)
  local seen = known[t]
  local i = 1
  while i <= n do
    local k, v = a[i], a[i + 1]
    if v == MAP then
      v = lazy_map(a[i + 2])
      i = i + 3
    elseif v == LIST then
      v = build_list(nil, items(a[i + 2]))
      i = i + 3
    else
      i = i + 2
    end
    if not seen[k] then
      rawset(t, k, v)
    end
  end
end

local function filled(t)
  local handle = pending[t]
  if handle ~= nil then
    pending[t] = nil
    setmetatable(t, nil)
    local a, n = packed(all(handle))
    fill_all(t, a, n)
    known[t] = nil
  end
  return t
end

-- --------------------------------------------------------------------------------------------
-- Limits: a count hook enforces the instruction budget and the wall-clock deadline. Once it
-- fired, `abort` holds the message and every protected call re-raises it, so pcall loops in a
-- script cannot swallow it.
-- --------------------------------------------------------------------------------------------

local HOOK_EVERY = 1000
local hook_left = 0
local deadline = huge
local budget_text, deadline_text = "", ""
local MEMERR = "not enough memory"
local memory_text = ""

local function where(level)
  local info = dgetinfo(level, "Sl")
  if info and info.short_src == "<string>" and info.currentline and info.currentline > 0 then
    return "<string>:" .. info.currentline .. ": "
  end
  return ""
end

local function hook()
  if abort then
    error(abort, 0)
  end
  hook_left = hook_left - 1
  if hook_left < 0 then
    abort = where(3) .. budget_text
    error(abort, 0)
  end
  if clock() > deadline then
    abort = where(3) .. deadline_text
    error(abort, 0)
  end
end

local function after_protected(ok, e, ...)
  if abort then
    error(abort, 0)
  end
  if not ok and (e == MEMERR or e == OVERFLOW) then
    abort = e == MEMERR and memory_text or OVERFLOW
    error(abort, 0)
  end
  return ok, e, ...
end

local function s_pcall(...)
  return after_protected(pcall(...))
end

local function s_xpcall(f, handler, ...)
  -- Once a limit fired the script's handler is not run again (it would be interrupted in a
  -- loop of errors in error handling).
  local function guarded(e)
    if abort then
      return abort
    end
    return handler(e)
  end
  return after_protected(xpcall(f, guarded, ...))
end

-- --------------------------------------------------------------------------------------------
-- Number to string as gopher-lua prints numbers: integral values as integers, others in Go's
-- shortest %v form (strconv 'g' with the shortest precision: exponent below 1e-4 and from 1e6 on,
-- so 1234567.5 prints as 1.2345675e+06; integral values take the integer path first).
-- --------------------------------------------------------------------------------------------

local function go_number(n)
  if n ~= n then
    return "NaN"
  elseif n == huge then
    return "+Inf"
  elseif n == -huge then
    return "-Inf"
  end
  if n == floor(n) and n >= -9223372036854775808 and n < 9223372036854775808 then
    if n > -1e15 and n < 1e15 then
      return sformat("%d", n)
    end
    -- %d of a double beyond 2^53 is exact in LuaJIT and Lua 5.4 (via integer conversion)
    return sformat("%.0f", n)
  end
  local digits, exp
  for p = 0, 16 do
    local s = sformat("%." .. p .. "e", n)
    if tonumber(s) == n or p == 16 then
      local m, e = smatch(s, "^(-?[%d%.]+)e([-+]%d+)$")
      digits, exp = m, tonumber(e)
      break
    end
  end
  local neg = ""
  if ssub(digits, 1, 1) == "-" then
    neg = "-"
    digits = ssub(digits, 2)
  end
  digits = sgsub(digits, "%.", "")
  digits = sgsub(digits, "0+$", "")
  if digits == "" then
    digits = "0"
  end
  if exp < -4 or exp >= 6 then
    local mant = ssub(digits, 1, 1)
    if #digits > 1 then
      mant = mant .. "." .. ssub(digits, 2)
    end
    local sign = exp < 0 and "-" or "+"
    local a = exp < 0 and -exp or exp
    return neg .. mant .. "e" .. sign .. (a < 10 and "0" .. a or tostring(a))
  end
  if exp < 0 then
    return neg .. "0." .. srep("0", -exp - 1) .. digits
  end
  if #digits <= exp + 1 then
    return neg .. digits .. srep("0", exp + 1 - #digits)
  end
  return neg .. ssub(digits, 1, exp + 1) .. "." .. ssub(digits, exp + 2)
end

local function s_tostring(v)
  if type(v) == "number" then
    return go_number(v)
  end
  return tostring(v)
end

-- --------------------------------------------------------------------------------------------
-- The environment of a script.
-- --------------------------------------------------------------------------------------------

local current_env = nil
local current_open = false

local function copy(src, skip)
  local c = {}
  for k, v in next, src do
    if k ~= skip then
      c[k] = v
    end
  end
  return c
end

local function s_next(t, k)
  if type(t) == "table" then
    filled(t)
  end
  return next(t, k)
end

local function s_pairs(t)
  if type(t) == "table" then
    filled(t)
    if getmetatable(t) == nil then
      return next, t, nil
    end
  end
  return pairs(t)
end

local function s_ipairs(t)
  if type(t) == "table" then
    filled(t)
  end
  return ipairs(t)
end

local function s_rawget(t, k)
  if type(t) == "table" then
    filled(t)
  end
  return rawget(t, k)
end

local function s_rawset(t, k, v)
  if type(t) == "table" then
    filled(t)
  end
  return rawset(t, k, v)
end

local function s_getmetatable(v)
  if v == current_env then
    return nil   -- as in gopher-lua, the globals have no metatable
  end
  if type(v) == "table" then
    filled(v)
  elseif type(v) == "string" then
    return nil
  end
  return getmetatable(v)
end

local function s_setmetatable(t, mt)
  if t == current_env then
    error("setmetatable: the global environment of a health script cannot have a metatable", 2)
  end
  if type(t) == "table" then
    filled(t)
  end
  return setmetatable(t, mt)
end

local function s_unpack(t, i, j)
  if type(t) == "table" then
    filled(t)
  end
  return unpack(t, i, j)
end

local function s_print()
end

local function real_level(f)
  -- level 1 of the caller is level 2 here (this wrapper is a Lua function)
  if f == nil then
    return 2
  elseif type(f) == "number" and f > 0 then
    return f + 1
  end
  return f
end

local s_getfenv, s_setfenv
if getfenv then
  local globals = getfenv(0)
  s_getfenv = function(f)
    if f == 0 then
      return current_env
    end
    local e = getfenv(real_level(f))
    if e == globals then
      return current_env
    end
    return e
  end
  s_setfenv = function(f, t)
    if f == 0 then
      error("setfenv: cannot change the environment of the running thread", 2)
    end
    local target = real_level(f)
    local info = dgetinfo(target, "S")
    if info == nil or info.short_src ~= "<string>" then
      error("'setfenv' cannot change environment of given object", 2)
    end
    return setfenv(real_level(f), t)
  end
end

local function tbl_getn(t)
  return #filled(t)
end

local function tbl_maxn(t)
  filled(t)
  local m = 0
  for k in next, t do
    if type(k) == "number" and k > m then
      m = k
    end
  end
  return m
end

local function wrap_table_lib(src)
  local c = copy(src)
  for name, f in next, src do
    if type(f) == "function" then
      c[name] = function(t, ...)
        if type(t) == "table" then
          filled(t)
        end
        return f(t, ...)
      end
    end
  end
  c.getn = tbl_getn
  c.maxn = tbl_maxn
  c.unpack = nil
  c.pack = nil
  c.move = nil
  c.new = nil
  c.clear = nil
  if is54 then
    c.foreach, c.foreachi, c.setn = nil, nil, nil
  end
  return c
end

local function os_date(fmt, t)
  if fmt ~= nil then
    fmt = tostring(fmt)
  end
  if t ~= nil then
    t = tonumber(t)
    if t == nil then
      error("bad argument #2 to date (number expected)", 2)
    end
  end
  local kind, a, b, c, d, e, f, g = py_os_date(fmt, t)
  if kind == 1 then
    return { year = a, month = b, day = c, hour = d, min = e, sec = f, wday = g, yday = 0,
             isdst = false }
  end
  return a
end

local function num_field(t, k, default)
  local v = rawget(t, k)
  if type(v) == "number" then
    return v
  end
  return default
end

local function os_time(t)
  if t == nil then
    return py_os_time()
  end
  if type(t) ~= "table" then
    error("bad argument #1 to time (table expected, got " .. type(t) .. ")", 2)
  end
  filled(t)
  return py_os_time(num_field(t, "year", -1), num_field(t, "month", -1), num_field(t, "day", -1),
                    num_field(t, "hour", 12), num_field(t, "min", -1), num_field(t, "sec", -1))
end

local function os_clock()
  return clock()
end

local SAFE_OS = { time = os_time, date = os_date }
local FULL_OS = { time = os_time, date = os_date, clock = os_clock,
                  difftime = function(a, b) return a - (b or 0) end }

local STRING = copy(string, "dump")
STRING.gfind = nil
local TABLE = wrap_table_lib(table)
local MATH = copy(math)
if is54 then
  MATH.pow = MATH.pow or function(x, y) return x ^ y end
  MATH.ldexp = MATH.ldexp or function(m, e) return m * 2.0 ^ e end
  MATH.log10 = MATH.log10 or function(x) return math.log(x, 10) end
  MATH.cosh, MATH.sinh, MATH.tanh = MATH.cosh, MATH.sinh, MATH.tanh
  MATH.mod = MATH.fmod
  MATH.type, MATH.tointeger, MATH.ult, MATH.maxinteger, MATH.mininteger = nil, nil, nil, nil, nil
end

local function s_co_resume(co, ...)
  return after_protected(co_resume(co, ...))
end

local COROUTINE = copy(coroutine)
COROUTINE.resume = s_co_resume
COROUTINE.wrap = co_wrap
COROUTINE.create = co_create
COROUTINE.close, COROUTINE.isyieldable = nil, nil

local LIBS_ON = { string = STRING, table = TABLE, math = MATH, os = FULL_OS,
                  coroutine = COROUTINE }
local LIBS_OFF = { table = TABLE }
local REQUIRE_ON = { os = SAFE_OS, string = STRING, table = TABLE, math = MATH,
                     coroutine = COROUTINE }
local REQUIRE_OFF = { os = SAFE_OS, table = TABLE }

local loaded = nil   -- per-evaluation package.loaded equivalent

local function s_require(name)
  name = tostring(name)
  if loaded == nil then
    loaded = {}
  end
  local mod = loaded[name]
  if mod ~= nil then
    return mod
  end
  local src = (current_open and REQUIRE_ON or REQUIRE_OFF)[name]
  if src == nil then
    error("module " .. name .. " not found", 2)
  end
  mod = copy(src)
  loaded[name] = mod
  return mod
end

local function base_functions()
  return {
    assert = assert, error = error, ipairs = s_ipairs, next = s_next, pairs = s_pairs,
    pcall = s_pcall, print = s_print, rawequal = rawequal, rawget = s_rawget,
    rawset = s_rawset, select = select, tonumber = tonumber, tostring = s_tostring,
    type = type, unpack = s_unpack, xpcall = s_xpcall, getmetatable = s_getmetatable,
    setmetatable = s_setmetatable, getfenv = s_getfenv, setfenv = s_setfenv,
    require = s_require, _VERSION = "Lua 5.1", _GOPHER_LUA_VERSION = "GopherLua 0.1",
  }
end

local BASE_ON, BASE_OFF = base_functions(), base_functions()

local function lib_loader(libs)
  -- Library tables are copied into the environment on first use, so a script changing
  -- `string.x` only changes its own copy.
  return function(_, k)
    local lib = libs[k]
    if lib ~= nil then
      local c = copy(lib)
      rawset(current_env, k, c)
      return c
    end
    return nil
  end
end

setmetatable(BASE_ON, { __index = lib_loader(LIBS_ON) })
setmetatable(BASE_OFF, { __index = lib_loader(LIBS_OFF) })
local ENV_ON = { __index = BASE_ON }
local ENV_OFF = { __index = BASE_OFF }

-- --------------------------------------------------------------------------------------------
-- gopher-json Encode rules and ExecuteHealthLua's interpretation.
-- --------------------------------------------------------------------------------------------

local WRAP = "json: error calling MarshalJSON for type json.jsonValue: "
local ERR_NESTED = "cannot encode recursively nested tables to JSON"
local ERR_SPARSE = "cannot encode sparse array"
local ERR_KEYS = "cannot encode mixed or invalid key types"

local function wrapped(depth, text)
  return srep(WRAP, depth + 1) .. text
end

local check_value

-- returns shape ("empty"/"array"/"object"), keys (sorted, for objects) or nil, error text
local function table_shape(t)
  local first = next(t)
  if first == nil then
    return "empty"
  end
  local n, numbers, others = 0, 0, 0
  for k in next, t do
    n = n + 1
    if type(k) == "number" then
      numbers = numbers + 1
    elseif type(k) ~= "string" then
      others = others + 1
    end
  end
  local numeric_first = rawget(t, 1) ~= nil or type(first) == "number"
  if numeric_first then
    -- gopher-lua iterates the array part (1..m) first, then the hash part.
    local m = 0
    while rawget(t, m + 1) ~= nil do
      m = m + 1
    end
    if m == n then
      return "array", m
    end
    if numbers > m then
      return nil, nil, ERR_SPARSE
    end
    return nil, nil, ERR_KEYS
  end
  if type(first) ~= "string" or numbers > 0 or others > 0 then
    return nil, nil, ERR_KEYS
  end
  local keys = {}
  for k in next, t do
    keys[#keys + 1] = k
  end
  tsort(keys)
  return "object", keys
end

function check_value(v, depth, visited)
  local tv = type(v)
  if tv == "table" then
    filled(v)
    if visited[v] then
      return wrapped(depth, ERR_NESTED)
    end
    visited[v] = true
    local shape, info, err = table_shape(v)
    if err then
      return wrapped(depth, err)
    end
    if shape == "array" then
      for i = 1, info do
        local e = check_value(v[i], depth + 1, visited)
        if e then
          return e
        end
      end
    elseif shape == "object" then
      for i = 1, #info do
        local e = check_value(v[info[i]], depth + 1, visited)
        if e then
          return e
        end
      end
    end
    return nil
  elseif tv == "number" then
    if v ~= v then
      return wrapped(depth, "json: unsupported value: NaN")
    elseif v == huge then
      return wrapped(depth, "json: unsupported value: +Inf")
    elseif v == -huge then
      return wrapped(depth, "json: unsupported value: -Inf")
    end
    return nil
  elseif tv == "string" or tv == "boolean" or tv == "nil" then
    return nil
  end
  return wrapped(depth, "cannot encode " .. tv .. " to JSON")
end

local function fold(k)
  -- Go's encoding/json matches field names case-insensitively (with the Kelvin sign and the
  -- long s folding to k and s).
  k = sgsub(k, "\197\191", "s")
  k = sgsub(k, "\226\132\170", "k")
  return slower(k)
end

local VALID = { Healthy = true, Progressing = true, Suspended = true, Degraded = true,
                Missing = true, Unknown = true }

-- Result codes for Python: 0 status+message, 1 empty health, 2 error (Unknown, message),
-- 3 invalid status (Unknown).
local FOLDED = { status = true, message = true }

local function simple_result(v)
  -- The usual result: string keys, scalar values, "status"/"message" spelled so. Anything else
  -- (nested tables, case variants, odd values) takes the full gopher-json path.
  local status, message = "", ""
  for k, x in next, v do
    if type(k) ~= "string" then
      return nil
    end
    local tx = type(x)
    if tx == "string" then
      if k == "status" then
        status = x
      elseif k == "message" then
        message = x
      elseif ((#k == 6 or #k == 7) and FOLDED[slower(k)]) or sfind(k, "[\128-\255]") then
        return nil
      end
    elseif tx == "boolean" or (tx == "number" and x == x and x ~= huge and x ~= -huge) then
      if ((#k == 6 or #k == 7) and FOLDED[slower(k)]) or sfind(k, "[\128-\255]") then
        return nil
      end
    else
      return nil
    end
  end
  if not VALID[status] then
    return 3
  end
  return 0, status, message
end

local function interpret(v)
  local tv = type(v)
  if tv == "nil" then
    return 1
  end
  if tv ~= "table" then
    return 2, "expect table output from Lua script, not " .. tv
  end
  filled(v)
  if next(v) == nil then
    return 1
  end
  if rawget(v, 1) == nil then
    local code, status, message = simple_result(v)
    if code ~= nil then
      return code, status, message
    end
  end
  local err = check_value(v, 0, {})
  if err then
    return 2, err
  end
  local shape, keys = table_shape(v)
  if shape ~= "object" then
    -- "json: cannot unmarshal array into Go value of type health.HealthStatus", swallowed
    return 1
  end
  local status, message = "", ""
  for i = 1, #keys do
    local k = keys[i]
    local f = fold(k)
    if f == "status" or f == "message" then
      local value = v[k]
      if type(value) ~= "string" then
        return 1   -- json.UnmarshalTypeError, swallowed by ExecuteHealthLua
      end
      if f == "status" then
        status = value
      else
        message = value
      end
    end
  end
  if not VALID[status] then
    return 3
  end
  return 0, status, message
end

local function hexify(s)
  return (sgsub(s, ".", function(c)
    return sformat("%02x", sbyte(c))
  end))
end

local function clean_text(s)
  -- Python decodes strings strictly: pass non-UTF-8 (any byte >= 0x80) as hex.
  if type(s) == "string" and sfind(s, "[\128-\255]") then
    return hexify(s), true
  end
  return s, false
end

local function last_value(ok, ...)
  local n = select("#", ...)
  if n == 0 then
    return ok, nil
  end
  return ok, (select(n, ...))
end

-- --------------------------------------------------------------------------------------------
-- Entry points.
-- --------------------------------------------------------------------------------------------

local function compile(source)
  local f, err = loadstring(source, "=<string>")
  if not f then
    local e, hex = clean_text(err)
    return nil, e, hex
  end
  return f, nil, false
end

local function set_env(chunk, env)
  if setfenv then
    setfenv(chunk, env)
  else
    dsetupvalue(chunk, 1, env)
  end
end

local function set_texts(texts_budget, texts_deadline, texts_memory)
  budget_text, deadline_text, memory_text = texts_budget, texts_deadline, texts_memory
end

local NESTED, SKIP = {}, {}

local keysets = setmetatable({}, { __mode = "k" })   -- program -> { key = true }

local function keyset(program)
  local set = keysets[program]
  if set == nil then
    set = {}
    for e = 1, #program do
      set[program[e][1]] = true
    end
    keysets[program] = set
    SHARED[set] = true
  end
  return set
end

local function prefill(t, program, a, i)
  -- program: { {key, map program or false, item program or false}, ... }; a[i...]: the values
  -- Python extracted in the same order (nil: absent; MAP, handle[, sub-values]; LIST, count,
  -- items; SKIP: not extracted, read lazily). Every program key counts as read.
  known[t] = keyset(program)
  for e = 1, #program do
    local entry = program[e]
    local v = a[i]
    i = i + 1
    if v == MAP then
      local sub = entry[2]
      local c = lazy_map(a[i], nil, sub and #sub)
      i = i + 1
      if sub then
        i = prefill(c, sub, a, i)
      end
      rawset(t, entry[1], c)
    elseif v == LIST then
      local count = a[i]
      i = i + 1
      local sub = entry[3]
      local list = tnew(count, 0)
      local size = sub and #sub
      for j = 1, count do
        local x = a[i]
        i = i + 1
        if x == MAP then
          x = lazy_map(a[i], nil, size)
          i = i + 1
          if sub then
            i = prefill(x, sub, a, i)
          end
        elseif x == NESTED then
          x = build_list(nil, items(a[i]))
          i = i + 1
        end
        list[j] = x
      end
      rawset(t, entry[1], list)
    elseif v == SKIP then
      own_known(t)[entry[1]] = false
    elseif v ~= nil then
      rawset(t, entry[1], v)
    end
  end
  return i
end

local function profile_of(chunk)
  return profiles[chunk]
end

local function run(chunk, open_libs, hooks, deadline_at, learn, program, first, ...)
  pending, known = tnew(0, 8), tnew(0, 8)
  loaded = nil
  abort = nil
  local root = lazy_map(1, nil, (program and not learn) and #program or nil)
  if learn then
    local tree = profiles[chunk]
    if tree == nil then
      tree = {}
      profiles[chunk] = tree
    end
    paths = { [root] = tree }
  elseif program then
    if first == ONE then
      prefill(root, program, (...), 1)
    else
      prefill(root, program, { first, ... }, 1)
    end
  end
  local env = { obj = root, actionParams = {} }
  env._G = env
  setmetatable(env, open_libs and ENV_ON or ENV_OFF)
  current_env, current_open = env, open_libs
  string_mt.__index = open_libs and STRING or nil
  set_env(chunk, env)
  if hooks or deadline_at then
    hook_left = hooks or huge
    deadline = deadline_at or huge
    dsethook(hook, "", HOOK_EVERY)
  end
  local ok, value = last_value(pcall(chunk))
  local code, a, b
  if ok and not abort then
    ok, code, a, b = pcall(interpret, value)
    if not ok then
      code, a = 2, (abort or code)
    end
  else
    code, a = 2, (abort or value)
  end
  dsethook()
  local hard = abort ~= nil or (code == 2 and a == MEMERR)
  if code == 2 and a == MEMERR then
    a = memory_text
  end
  if hard then
    -- free what a runaway or memory bomb left behind before the next evaluation
    collectgarbage("collect")
  end
  string_mt.__index = STRING
  current_env, pending, known, loaded, paths = nil, nil, nil, nil, nil
  set_env(chunk, BASE_OFF)
  if code == 2 and type(a) ~= "string" then
    if a == nil then
      a = "nil"
    else
      a = s_tostring(a)
    end
  end
  local ha, hb = false, false
  a, ha = clean_text(a)
  b, hb = clean_text(b)
  return code, a, b, ha, hb
end

string_mt.__metatable = false
string_mt.__index = STRING

return compile, run, set_texts, go_number, MAP, LIST, ONE, NESTED, SKIP, profile_of
