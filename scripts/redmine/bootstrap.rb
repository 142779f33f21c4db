# Bootstraps a local Redmine for the Upkeep demo and tests (run by scripts/redmine.sh through
# `rails runner`, as www-data). Idempotent: finds before it creates, and never overwrites what people
# changed (passwords of existing users, the wiki configuration).
#
# Creates: SQLite's WAL journal (the default instance); REST API on; dates as ISO 8601 unless a format was chosen; admin with a known password; the Upkeep setup (trackers, custom fields,
# permissions); the demo ISMS project (private) with the ISMS owners as members; a user who is not a
# member. Prints the credentials as one JSON line after the marker UPKEEP-CREDENTIALS.
password = ENV.fetch('UPKEEP_DEMO_PASSWORD')
project_id = ENV.fetch('UPKEEP_DEMO_PROJECT', 'isms-demo')

# On SQLite (the default instance), readers must not hold writers up: Redmine renders its notification
# mails on a thread of its own, reading the database for seconds meanwhile, and in SQLite's default
# journal a write then waits for that reader until it fails ("database is locked"). In WAL mode they run
# side by side; the mode stays with the database file.
connection = ActiveRecord::Base.connection
connection.execute('PRAGMA journal_mode=WAL') if connection.adapter_name.casecmp?('sqlite')

Setting.rest_api_enabled = '1'
Setting.login_required = '1'
# Dates as ISO 8601 (Redmine's own choice of format, Administration > Settings > Display) unless someone
# chose one: the demo and the tests read the same dates as the command writes.
Setting.date_format = '%Y-%m-%d' if Setting.date_format.blank?

admin = User.find_by!(login: 'admin')
if admin.must_change_passwd? || !admin.check_password?(password)
  admin.password = admin.password_confirmation = password
  admin.must_change_passwd = false
  admin.save!
end

setup = Upkeep::Setup.run!

def ensure_user(login, firstname, lastname, password)
  user = User.find_by(login: login)
  return user if user

  user = User.new(firstname: firstname, lastname: lastname, mail: "#{login}@demo.upkeep.invalid", language: 'en')
  user.login = login
  user.password = user.password_confirmation = password
  user.must_change_passwd = false
  user.save!
  user
end

owners = {
  'ciso' => ['Cora', 'Isms (ISMS manager)'], 'itops' => ['Ivan', 'Ops (IT operations)'],
  'secops' => ['Sara', 'Sec (security engineering)'], 'hr' => ['Hana', 'People (HR)'],
  'purchasing' => ['Paul', 'Buyer (purchasing)'], 'legal' => ['Lena', 'Counsel (legal)'],
  'ceo' => ['Carl', 'Exec (CEO)']
}
users = owners.map { |login, (first, last)| ensure_user(login, first, last, password) }
outsider = ensure_user('outsider', 'Olga', 'Outsider (not a member)', password)
# The account `upkeep sync` runs as: the tickets it creates are Upkeep's, and only those.
bot = ensure_user('upkeep-bot', 'Upkeep', 'Bot', password)
# The certification body's auditor, in the setup's read-only Auditor role.
auditor = ensure_user('auditor', 'Ada', 'Audit (certification body)', password)

project = Project.find_by(identifier: project_id)
unless project
  project = Project.new(name: 'Demo Ltd ISMS', identifier: project_id, is_public: false,
                        description: 'A demo ISO/IEC 27001 ISMS kept alive by Upkeep.')
  project.save!
end
Upkeep::Setup.enable_in!(project)
Wiki.create!(project: project, start_page: 'Wiki') unless project.wiki

manager = Role.find_by!(name: 'Manager')
developer = Role.find_by!(name: 'Developer')
(users + [bot]).each do |user|
  next if Member.exists?(project: project, user: user)

  Member.create!(project: project, principal: user, roles: [%w[ciso upkeep-bot].include?(user.login) ? manager : developer])
end
unless Member.exists?(project: project, user: auditor)
  Member.create!(project: project, principal: auditor, roles: [Role.find_by!(name: Upkeep::Setup::AUDITOR_ROLE)])
end

keys = (users + [admin, outsider, bot, auditor]).to_h { |u| [u.login, u.api_key] }
puts 'UPKEEP-CREDENTIALS ' + { project: project_id, password: password, api_keys: keys, setup: setup }.to_json
