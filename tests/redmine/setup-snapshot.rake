# Loaded beside Redmine's own tasks by isms-tab.test.mjs, which runs
#   rake upkeep_test:before upkeep:setup PROJECT=... upkeep_test:after
#   rake upkeep_test:groups_off upkeep:setup
#   rake upkeep_test:date_format FORMAT=...   (Redmine's date format for everyone; prints the one it replaced)
# Each snapshot prints, as one line after the marker UPKEEP-SNAPSHOT, what `upkeep:setup` creates or
# changes, read from the database row by row (join tables too), so that anything made twice shows.
namespace :upkeep_test do
  snapshot = lambda do |moment|
    project = Project.find_by!(identifier: ENV.fetch('PROJECT'))
    rows = ->(sql) { ActiveRecord::Base.connection.select_rows(sql) }
    workflow_columns = 'type, tracker_id, role_id, old_status_id, new_status_id, author, assignee, field_name, rule'
    state = {
      moment: moment,
      trackers: Tracker.order(:id).pluck(:id, :name, :default_status_id),
      statuses: IssueStatus.order(:id).pluck(:id, :name),
      custom_fields: CustomField.order(:id).pluck(:id, :type, :name, :field_format, :possible_values,
                                                  :default_value, :is_filter, :is_for_all),
      custom_field_trackers: rows.call('SELECT custom_field_id, tracker_id FROM custom_fields_trackers ORDER BY 1, 2'),
      workflows_by_tracker: rows.call('SELECT tracker_id, type, COUNT(*) FROM workflows GROUP BY 1, 2 ORDER BY 1, 2'),
      duplicate_workflows: rows.call("SELECT #{workflow_columns}, COUNT(*) FROM workflows " \
                                     "GROUP BY #{workflow_columns} HAVING COUNT(*) > 1"),
      roles: Role.order(:id).map { |role| [role.id, role.name, role.permissions.map(&:to_s)] },
      settings: Setting.where(name: %w[issue_group_assignment rest_api_enabled]).order(:id).pluck(:name, :value),
      project_modules: EnabledModule.where(project_id: project.id).order(:id).pluck(:name),
      project_trackers: rows.call("SELECT tracker_id FROM projects_trackers WHERE project_id = #{project.id} ORDER BY 1"),
      project_custom_fields: rows.call('SELECT custom_field_id FROM custom_fields_projects ' \
                                       "WHERE project_id = #{project.id} ORDER BY 1")
    }
    puts "UPKEEP-SNAPSHOT #{state.to_json}"
  end

  task(before: :environment) { snapshot.call('before') }
  # As a Redmine that never allowed assigning issues to groups.
  task(groups_off: :environment) { Setting.issue_group_assignment = '0' }
  task(after: :environment) { snapshot.call('after') }

  task date_format: :environment do
    puts Setting.date_format
    Setting.date_format = ENV.fetch('FORMAT')
  end
end

