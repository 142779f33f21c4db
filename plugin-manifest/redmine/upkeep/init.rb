# Upkeep for Redmine: serves the web code and the WebAssembly core, gives the page script what it needs
# (the project, a relay to the REST API on the session), and guards the configuration page. The logic
# lives in the core, not here.
require File.expand_path('lib/upkeep/setup', __dir__)
require File.expand_path('lib/upkeep/hooks', __dir__)
require File.expand_path('lib/upkeep/configuration_page', __dir__)
require File.expand_path('lib/upkeep/own_fields', __dir__)
require File.expand_path('lib/upkeep/page_modules', __dir__)

# The calendar feed's address carries the subscriber's Atom key (?key=...): Redmine's log shows it filtered,
# as it shows passwords.
Rails.application.config.filter_parameters += [/\Akey\z/]

Redmine::Plugin.register :upkeep do
  name 'Upkeep'
  author 'Upkeep'
  description 'Keeps an ISO/IEC 27001 ISMS alive between audits, inside Redmine'
  # The version of the build it came with (CMake's project version, written beside init.rb when the
  # plugin is assembled).
  version File.read(File.expand_path('VERSION', __dir__)).strip rescue 'unknown'
  url 'https://upkeep.invalid/'
  requires_redmine version_or_higher: '5.0.0'

  project_module :upkeep do
    permission :view_isms, { upkeep_isms: [:show], upkeep_feeds: [:calendar] }, read: true
  end

  menu :project_menu, :upkeep_isms, { controller: 'upkeep_isms', action: 'show' },
       caption: 'ISMS', after: :activity, param: :project_id
end
