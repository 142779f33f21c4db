# The configuration as the plugin needs it on the server: the page holds the JSON in a code block, which
# the core reads the same way (hosts/redmine/src/wiki_storage.cpp: the first line that opens one of these
# blocks, up to the line that closes it; a page without a block is all JSON).
require 'json'

module Upkeep
  module ConfigurationPage
    FENCES = [['<pre><code class="json">', '</code></pre>'], ['```json', '```'], ['<pre>', '</pre>']].freeze

    # The JSON text of the page, or nil when a block is opened and never closed.
    def self.json_text(text)
      lines = text.to_s.split("\n", -1)
      lines.each_with_index do |line, i|
        fence = FENCES.find { |open, _| open == line.strip }
        next unless fence

        close = lines[(i + 1)..].index { |l| l.strip == fence[1] }
        return close && lines[(i + 1)...(i + 1 + close)].join("\n")
      end
      text.to_s
    end

    # The logins the configuration names as acting for Upkeep (sync.accounts); none when it cannot be read.
    def self.sync_accounts(text)
      config = JSON.parse(json_text(text) || '')
      sync = config['sync'] if config.is_a?(Hash)
      accounts = sync['accounts'] if sync.is_a?(Hash)
      accounts.is_a?(Array) ? accounts.grep(String) : []
    rescue JSON::ParserError
      []
    end
  end
end
