# Loaded beside Redmine's own tasks by seed-large-project.mjs: makes the control tasks of a large ISMS
# (a JSON file of {key, subject, owner, due, closed, doneOn, evidence}) as tickets of PROJECT, authored by
# AUTHOR (a sync account), in one transaction (the REST API would take one request a ticket).
namespace :upkeep_bench do
  task issues: :environment do
    project = Project.find_by!(identifier: ENV.fetch('PROJECT'))
    author = User.find_by!(login: ENV.fetch('AUTHOR'))
    tracker = Tracker.find_by!(name: 'Control task')
    open_status = tracker.default_status
    closed_status = IssueStatus.where(is_closed: true).order(:position).first
    field = ->(name) { IssueCustomField.find_by!(name: name).id }
    key, state, evidence = field.call('Upkeep key'), field.call('Upkeep state'), field.call('Evidence date')
    owners = Hash.new { |h, login| h[login] = User.find_by(login: login) }
    tasks = JSON.parse(File.read(ENV.fetch('ISSUES')))
    Issue.transaction do
      tasks.each do |t|
        issue = Issue.new(project: project, tracker: tracker, author: author, subject: t['subject'],
                          assigned_to: owners[t['owner']], due_date: t['due'], status: open_status)
        issue.custom_field_values = { key => t['key'], state => "h=1#{t['evidence'] ? ';evidence=1' : ''}",
                                      evidence => t['closed'] ? t['doneOn'] : '' }
        issue.save!(validate: false)
        next unless t['closed']

        closed_on = Time.utc(*t['doneOn'].split('-').map(&:to_i), 10)
        issue.update_columns(status_id: closed_status.id, closed_on: closed_on)
      end
    end
    puts "UPKEEP-BENCH #{tasks.size} tickets in #{project.identifier}"
  end
end
