-- Neovim's own LSP client on one notice: it waits for the server's
-- diagnostics, asks for a hover, writes both as JSON and quits. Driven by
-- tests/editor.rs through environment variables.
package.path = os.getenv('NOTICE_EDITORS') .. '/neovim/?.lua;' .. package.path
require('notice').setup({ cmd = { os.getenv('NOTICE_BIN'), 'lsp' }, as_of = '2012-08-01' })
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('NOTICE_FILE')))
local buf = vim.api.nvim_get_current_buf()
local ok = vim.wait(15000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(diagnostics, { message = d.message, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), lnum = d.lnum, col = d.col })
end
local hover = nil
local clients = vim.lsp.buf_get_clients(buf)
for _, client in pairs(clients) do
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = tonumber(os.getenv('NOTICE_HOVER_LINE')), character = tonumber(os.getenv('NOTICE_HOVER_COL')) },
  }
  local resp = client.request_sync('textDocument/hover', params, 10000, buf)
  if resp and resp.result then
    hover = resp.result.contents.value
  end
end
local f = io.open(os.getenv('NOTICE_NVIM_OUT'), 'w')
f:write(vim.fn.json_encode({ waited = ok, diagnostics = diagnostics, hover = hover }))
f:close()
vim.cmd('qa!')
