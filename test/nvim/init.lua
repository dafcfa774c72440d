-- Neovim (0.7+) as a real LSP client of the bundled server, for test/e2e/neovim.e2e.ts.
--
--   E2E_SERVER=/abs/dist/server.js E2E_RESULT=/tmp/result.json E2E_PLAN='{...}' \
--     nvim --headless -u test/nvim/init.lua path/to/Dockerfile
--
-- On FileType dockerfile this starts `node <E2E_SERVER> --stdio` with Neovim's own client
-- (vim.lsp.start_client, the 0.7 API; root_dir, the Dockerfile's folder, is the workspace
-- folder whose Compose and Bake files the server indexes), and attaches the same client to
-- yaml buffers (Compose files). Once the editor is up it plays E2E_PLAN against the buffer:
-- waits for diagnostics (vim.wait with a predicate, never a fixed sleep), goes to a
-- definition, lists references, hovers, asks for code actions, renames (applying the workspace
-- edit to the buffer the way :lua vim.lsp.buf.rename() does) and waits for the diagnostics of
-- the edited version, opens a second file and goes to a definition from there, stops the
-- server and waits for it to exit. Everything it saw is written as JSON to E2E_RESULT; it
-- exits with :qall! when the plan ran and :cquit when it could not.
--
-- E2E_PLAN (JSON): { "diagnostics": [code, ...], "definition": {line, character},
--   "references": {line, character}, "hover": {line, character}, "codeAction": {code},
--   "rename": {line, character, newName}, "definitionIn": {file, line, character},
--   "timeout": ms }
-- "diagnostics", when given, are the codes (in line order) to wait for before the first step:
-- the server publishes once at open, and again when it has read the folder's build files.
-- Positions are LSP positions (0-based line, UTF-16 character).

local env = vim.env
local server = env.E2E_SERVER
local result_path = env.E2E_RESULT
local plan = vim.fn.json_decode(env.E2E_PLAN or '{}')
local timeout = plan.timeout or 10000
local node = env.E2E_NODE or 'node'

vim.o.swapfile = false
vim.o.shadafile = 'NONE'

local result = { nvim = vim.version(), steps = {}, published = {} }
local client_id

local function write_result()
  local f = assert(io.open(result_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function step(name)
  table.insert(result.steps, name)
end

local function fail(message)
  result.error = message
  write_result()
  vim.cmd('cquit')
end

local function wait_for(what, predicate)
  if not vim.wait(timeout, predicate, 20) then
    error('timed out after ' .. timeout .. ' ms waiting for ' .. what, 0)
  end
end

local function buffer_lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

-- The one answer of our server to a request made with vim.lsp.buf_request_sync.
local function request(bufnr, method, params)
  local answers, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if not answers then error(method .. ': ' .. tostring(err), 0) end
  local answer = answers[client_id]
  if not answer then error(method .. ': no answer from the server', 0) end
  if answer.err then return nil, answer.err end
  return answer.result
end

vim.api.nvim_create_autocmd('FileType', {
  -- yaml: a Compose file, whose targets the server reads (by the file's name).
  pattern = { 'dockerfile', 'yaml' },
  callback = function(args)
    if not client_id then
      client_id = vim.lsp.start_client({
        name = 'dockerfile-stages',
        cmd = { node, server, '--stdio' },
        root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h'),
        -- Answers workspace/configuration for the section "dockerfileStages".
        settings = { dockerfileStages = { severity = vim.empty_dict() } },
        handlers = {
          -- Keep every publish as the server sent it, then let Neovim show it as usual.
          ['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
            table.insert(result.published, params)
            return vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
          end,
        },
        on_exit = function(code, signal)
          result.server_exit = { code = code, signal = signal }
        end,
      })
      if not client_id then fail('vim.lsp.start_client returned nil') end
    end
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})

local function published_for(uri, version)
  for i = #result.published, 1, -1 do
    local p = result.published[i]
    if p.uri == uri and (version == nil or p.version == version) then return p end
  end
end

-- What Neovim shows for the buffer (vim.diagnostic), reduced to plain data.
local function shown_diagnostics(bufnr)
  local shown = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(shown, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source, code = lsp.code or d.code,
    })
  end
  table.sort(shown, function(a, b) return a.lnum < b.lnum end)
  return shown
end

-- The codes of a publish, in line order, joined by commas.
local function codes_of(p)
  local list = {}
  for _, d in ipairs(p.diagnostics) do table.insert(list, { line = d.range.start.line, code = d.code }) end
  table.sort(list, function(a, b) return a.line < b.line end)
  return table.concat(vim.tbl_map(function(d) return d.code end, list), ',')
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  result.filetype = vim.bo[bufnr].filetype
  result.uri = uri
  if not client_id then error('no language client started: filetype is "' .. result.filetype .. '"', 0) end
  local client = vim.lsp.get_client_by_id(client_id)

  step('diagnostics')
  wait_for('the first diagnostics', function() return published_for(uri) ~= nil end)
  local first = published_for(uri)
  result.first_publish_version = first.version
  if plan.diagnostics then
    local wanted = table.concat(plan.diagnostics, ',')
    wait_for('diagnostics ' .. wanted, function() return codes_of(published_for(uri)) == wanted end)
  end
  local settled = published_for(uri)
  result.server_capabilities = client.server_capabilities
  result.offset_encoding = client.offset_encoding
  result.diagnostics = shown_diagnostics(bufnr)
  result.buffer_version = vim.lsp.util.buf_versions[bufnr]

  local doc = { uri = uri }
  if plan.definition then
    step('definition')
    local answer = request(bufnr, 'textDocument/definition', { textDocument = doc, position = plan.definition })
    result.definition = answer
    -- Jump as `gd` would, and read where the cursor lands.
    local target = answer and (answer[1] or answer)
    if target and (target.uri or target.targetUri) then
      vim.lsp.util.jump_to_location(target, client.offset_encoding)
      local cursor = vim.api.nvim_win_get_cursor(0)
      result.cursor_after_definition = { line = cursor[1] - 1, col = cursor[2], text = vim.api.nvim_get_current_line() }
    end
  end

  if plan.references then
    step('references')
    result.references = request(bufnr, 'textDocument/references', {
      textDocument = doc, position = plan.references, context = { includeDeclaration = true },
    })
  end

  if plan.hover then
    step('hover')
    result.hover = request(bufnr, 'textDocument/hover', { textDocument = doc, position = plan.hover })
  end

  step('codeAction')
  local code_action_provider = client.server_capabilities.codeActionProvider
  result.code_action_provider = code_action_provider and true or false
  if code_action_provider then
    -- The quick fixes for every diagnostic, asked the way Neovim asks: the line's range and
    -- the diagnostics on it.
    result.code_actions = {}
    for _, p in ipairs({ settled }) do
      for _, d in ipairs(p.diagnostics) do
        local actions, err = request(bufnr, 'textDocument/codeAction', {
          textDocument = doc,
          range = d.range,
          context = { diagnostics = { d } },
        })
        table.insert(result.code_actions, { code = d.code, line = d.range.start.line, actions = actions or {}, err = err })
      end
    end
    -- Apply the first fix that carries an edit for plan.codeAction.code, as choosing it in
    -- vim.lsp.buf.code_action() would, then wait for the server's view of the fixed text.
    local wanted = plan.codeAction and plan.codeAction.code
    for _, entry in ipairs(result.code_actions) do
      if entry.code == wanted then
        for _, action in ipairs(entry.actions) do
          if action.edit and not result.applied_code_action then
            step('apply code action')
            local before = vim.lsp.util.buf_versions[bufnr]
            vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
            local after = vim.lsp.util.buf_versions[bufnr]
            result.applied_code_action = { title = action.title, line = vim.api.nvim_buf_get_lines(bufnr, entry.line, entry.line + 1, false)[1] }
            wait_for('diagnostics for the fixed version', function()
              return after ~= before and published_for(uri, after) ~= nil
            end)
            result.published_after_code_action = published_for(uri, after)
            vim.cmd('silent undo')
            result.line_after_undo = vim.api.nvim_buf_get_lines(bufnr, entry.line, entry.line + 1, false)[1]
          end
        end
      end
    end
  end

  if plan.rename then
    step('rename')
    local position = { line = plan.rename.line, character = plan.rename.character }
    local prepared, prepare_err = request(bufnr, 'textDocument/prepareRename', { textDocument = doc, position = position })
    result.prepare_rename = prepared or { error = prepare_err }
    local edit, rename_err = request(bufnr, 'textDocument/rename', {
      textDocument = doc, position = position, newName = plan.rename.newName,
    })
    if not edit then error('rename refused: ' .. vim.inspect(rename_err), 0) end
    result.rename_edit = edit
    local before = vim.lsp.util.buf_versions[bufnr]
    vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
    result.renamed_lines = buffer_lines(bufnr)
    local after = vim.lsp.util.buf_versions[bufnr]
    result.version_after_rename = after
    -- Neovim sends the change to the server; the server answers with diagnostics for it.
    step('diagnostics after rename')
    wait_for('diagnostics for version ' .. tostring(after), function()
      return after ~= before and published_for(uri, after) ~= nil
    end)
    result.published_after_rename = published_for(uri, after)
    result.diagnostics_after_rename = shown_diagnostics(bufnr)
  end

  if plan.definitionIn then
    -- A second file (a Compose file beside the Dockerfile), opened with :edit (the renamed
    -- Dockerfile stays loaded, hidden); the FileType autocmd attaches the client to it. Then
    -- `gd` from there.
    step('definitionIn')
    vim.cmd('hide edit ' .. vim.fn.fnameescape(plan.definitionIn.file))
    local other = vim.api.nvim_get_current_buf()
    local other_uri = vim.uri_from_bufnr(other)
    result.definition_in = { filetype = vim.bo[other].filetype, uri = other_uri }
    wait_for('the client attached to ' .. plan.definitionIn.file, function() return vim.lsp.buf_is_attached(other, client_id) end)
    wait_for('diagnostics for ' .. plan.definitionIn.file, function() return published_for(other_uri) ~= nil end)
    result.definition_in.published = published_for(other_uri)
    local answer = request(other, 'textDocument/definition', {
      textDocument = { uri = other_uri }, position = { line = plan.definitionIn.line, character = plan.definitionIn.character },
    })
    result.definition_in.answer = answer
    local target = answer and (answer[1] or answer)
    if target and (target.uri or target.targetUri) then
      vim.lsp.util.jump_to_location(target, client.offset_encoding)
      local cursor = vim.api.nvim_win_get_cursor(0)
      result.definition_in.cursor = {
        line = cursor[1] - 1, col = cursor[2], text = vim.api.nvim_get_current_line(),
        same_buffer = vim.api.nvim_get_current_buf() == bufnr,
      }
    end
  end

  step('shutdown')
  vim.lsp.stop_client(client_id)
  wait_for('the server to exit', function() return result.server_exit ~= nil end)
  step('done')
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = xpcall(run, debug.traceback)
      if not ok then return fail(tostring(err)) end
      write_result()
      vim.cmd('qall!')
    end)
  end,
})
