# What an administrator does by hand in a new Redmine before installing Upkeep, for release-install.test.mjs
# (run through `rails runner` in that Redmine): the REST API on, a password for admin, the people and the
# sync account, a project with a wiki and those people as members. Nothing of Upkeep: that comes from the
# plugin's own `rake upkeep:setup`. Prints the API keys as one JSON line after the marker KEYS.
password = ENV.fetch('UPKEEP_RELEASE_PASSWORD')
Setting.rest_api_enabled = '1'
Setting.login_required = '1'

admin = User.find_by!(login: 'admin')
admin.password = admin.password_confirmation = password
admin.must_change_passwd = false
admin.save!

users = %w[ciso itops secops hr purchasing legal ceo upkeep-bot].map do |login|
  user = User.new(firstname: login.capitalize, lastname: 'Release', mail: "#{login}@release.upkeep.invalid", language: 'en')
  user.login = login
  user.password = user.password_confirmation = password
  user.must_change_passwd = false
  user.save!
  user
end

project = Project.create!(name: 'Release check ISMS', identifier: 'isms', is_public: false)
Wiki.create!(project: project, start_page: 'Wiki')
manager = Role.find_by!(name: 'Manager')
users.each { |user| Member.create!(project: project, principal: user, roles: [manager]) }
puts 'KEYS ' + (users + [admin]).to_h { |u| [u.login, u.api_key] }.to_json
