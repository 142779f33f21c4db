# Redmine as Debian's package serves it (/usr/share/redmine/config.ru), with what Debian's web server
# examples (/usr/share/doc/redmine/examples/) add in front of it: /plugin_assets/ served from the
# instance's folder, to which Redmine copies every plugin's assets at boot. Run by scripts/redmine.sh
# with rackup in /usr/share/redmine.
require File.expand_path('config/environment', Dir.pwd)

map('/plugin_assets') { run Rack::Files.new(Redmine.root.join('public', 'plugin_assets').to_s) }
map('/') { run Rails.application }
