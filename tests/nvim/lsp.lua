-- Neovim's built-in LSP client against `slac lsp` (run by tests/nvim_test.py, which
-- writes the contracts and passes their paths in the environment). Opens a contract
-- with a typo, waits for its diagnostics and checks their lines and codes, fixes it,
-- hovers a param, jumps to a definition in the imported file, and formats. Writes
-- one `ok ...` or `FAIL ...` line per check to SLAC_NVIM_LOG; exits 0 when all pass.
vim.lsp.set_log_level(os.getenv('SLAC_NVIM_LSP_LOG') or 'warn')
local slac = os.getenv('SLAC')
local dir = os.getenv('SLAC_NVIM_DIR')
local main = dir .. '/main.sla'
local lib = dir .. '/lib.sla'
local log = io.open(os.getenv('SLAC_NVIM_LOG'), 'w')
local failed = 0
-- The time the first diagnostics may take: the issue's second, more under sanitizers.
local latency_ms = tonumber(os.getenv('SLAC_NVIM_LATENCY_MS') or '1000')

local function check(ok, what)
  log:write((ok and 'ok ' or 'FAIL ') .. what .. '\n')
  log:flush()
  if not ok then failed = failed + 1 end
end

local function finish()
  log:write(failed == 0 and 'done\n' or ('failures: ' .. failed .. '\n'))
  log:close()
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. main)
  local buf = vim.api.nvim_get_current_buf()
  local started = vim.loop.hrtime()
  local client_id = vim.lsp.start_client({
    name = 'slac',
    cmd = { slac, 'lsp', '--stdlib-dir', dir .. '/stdlib' },
    root_dir = dir,
  })
  check(client_id ~= nil, 'the client starts `slac lsp`')
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  -- The typo's diagnostic: line and code, within the latency.
  local arrived = vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 10)
  local elapsed_ms = (vim.loop.hrtime() - started) / 1e6
  check(arrived, 'diagnostics arrive')
  check(elapsed_ms < latency_ms, string.format('within %d ms (took %.0f ms)', latency_ms, elapsed_ms))
  local diags = vim.diagnostic.get(buf)
  local typo_line = tonumber(os.getenv('SLAC_NVIM_TYPO_LINE'))
  check(#diags == 1, 'one diagnostic, got ' .. #diags)
  if #diags >= 1 then
    check(diags[1].lnum == typo_line, string.format('on line %d, got %d', typo_line + 1, diags[1].lnum + 1))
    check(diags[1].code == 'E101', 'code E101, got ' .. tostring(diags[1].code))
    check(diags[1].severity == vim.diagnostic.severity.ERROR, 'an error')
    check(diags[1].message:find('did you mean `available`', 1, true) ~= nil, 'the suggestion: ' .. diags[1].message)
  end

  -- Fix the typo by editing the buffer: the diagnostics go.
  local line = vim.api.nvim_buf_get_lines(buf, typo_line, typo_line + 1, false)[1]
  vim.api.nvim_buf_set_lines(buf, typo_line, typo_line + 1, false, { (line:gsub('availble', 'available')) })
  check(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 10), 'fixed: no diagnostics')

  -- Hover a param's use.
  local function find(pattern, nth)
    local n = 0
    for i, text in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local col = text:find(pattern, 1, true)
      if col then
        n = n + 1
        if n == (nth or 1) then return i - 1, col - 1 end
      end
    end
  end
  local l, c = find('target', 2)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = l, character = c + 1 } }
  local hover = client.request_sync('textDocument/hover', params, 5000, buf)
  local value = hover and hover.result and hover.result.contents and hover.result.contents.value or ''
  check(value:find('value **90%** (a percentage)', 1, true) ~= nil, 'hover on a param: ' .. value)

  -- Go to definition across the import, through the client's own handler.
  l, c = find('alive')
  vim.api.nvim_win_set_cursor(0, { l + 1, c + 1 })
  vim.lsp.buf.definition()
  local jumped = vim.wait(5000, function() return vim.api.nvim_buf_get_name(0) == lib end, 10)
  check(jumped, 'definition opens the imported file, got ' .. vim.api.nvim_buf_get_name(0))
  if jumped then
    local cursor = vim.api.nvim_win_get_cursor(0)
    local want = tonumber(os.getenv('SLAC_NVIM_ALIVE_LINE'))
    check(cursor[1] - 1 == want, string.format('at line %d, got %d', want + 1, cursor[1]))
    check(vim.api.nvim_get_current_line():find('state alive', 1, true) ~= nil, 'the line declares it')
  end

  -- Formatting: a messy line is put in canonical form, as `slac fmt` does.
  vim.cmd('buffer ' .. buf)
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { 'param    extra=3' })
  vim.lsp.buf.formatting_sync(nil, 5000)
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
  local want = vim.fn.system({ slac, 'fmt', '-' }, text)
  check(vim.v.shell_error == 0, '`slac fmt -` accepts the buffer')
  check(text == want, 'the buffer is formatted')
  check(vim.tbl_contains(vim.api.nvim_buf_get_lines(buf, 0, -1, false), 'param extra = 3'), 'the messy line is canonical')

  vim.lsp.stop_client(client_id)
end)
check(ok, 'no Lua error: ' .. tostring(err))
finish()
