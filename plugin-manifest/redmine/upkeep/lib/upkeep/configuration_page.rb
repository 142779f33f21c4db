# The configuration as the plugin needs it on the server: the page holds the JSON in a code block, which
# the core reads the same way (hosts/redmine/src/wiki_storage.cpp: the first line that opens one of these
# blocks, up to the line that closes it; a page without a block is all JSON).
#
# The page is Upkeep's trust root: it names the accounts whose tickets and calendar copies are Upkeep's.
# So Redmine's permissions decide who may change it: the page is protected from its creation on (only
# roles with "Protect wiki pages" may then edit it), and a version counts only when whoever saved it may
# protect wiki pages in the project now, for the core's sessions (UpkeepConfigurationTrustController)
# and for the calendar feed alike.
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

    # Whether what `user` saved counts: they may protect wiki pages in the project (admins may everything).
    def self.trusted_author?(user, project)
      !user.nil? && user.allowed_to?(:protect_wiki_pages, project)
    end

    # The newest version of the page that a trusted author saved (a WikiContentVersion); nil when none.
    def self.trusted_version(page)
      project = page.wiki.project
      page.content&.versions&.includes(:author)&.reorder(version: :desc)&.find do |version|
        trusted_author?(version.author, project)
      end
    end

    # Protects a new configuration page as it is created, whoever creates it.
    module ProtectedOnCreation
      extend ActiveSupport::Concern
      included { before_create :protect_upkeep_configuration }

      private

      def protect_upkeep_configuration
        self.protected = true if title == Upkeep::Setup::CONFIG_PAGE
      end
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

WikiPage.include(Upkeep::ConfigurationPage::ProtectedOnCreation) unless WikiPage.include?(Upkeep::ConfigurationPage::ProtectedOnCreation)
