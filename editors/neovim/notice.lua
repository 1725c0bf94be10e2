-- notice in Neovim (0.7 or later): the `notice` filetype for *.notice files
-- and its language server, `notice lsp`, started for each notice buffer.
-- Put this file on your runtimepath (e.g. ~/.config/nvim/lua/notice.lua) and
-- call `require('notice').setup()` from init.lua; `cmd` and `as_of` are optional.
local M = {}

function M.setup(opts)
  opts = opts or {}
  vim.filetype = vim.filetype or {}
  vim.cmd([[autocmd BufRead,BufNewFile *.notice setfiletype notice]])
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'notice',
    callback = function(args)
      vim.bo[args.buf].commentstring = '// %s'
      local id = vim.lsp.start_client({
        name = 'notice',
        cmd = opts.cmd or { 'notice', 'lsp' },
        root_dir = vim.fn.getcwd(),
        init_options = { asOf = opts.as_of },
      })
      if id then
        vim.lsp.buf_attach_client(args.buf, id)
      end
    end,
  })
end

return M
