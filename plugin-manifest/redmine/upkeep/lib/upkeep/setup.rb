# What Upkeep needs in a Redmine: its trackers, its filterable custom fields (enabled per project, so
# the REST API lists them to project members), workflows so statuses can move, and the "View ISMS"
# permission for the roles that members have. Idempotent: every step looks for what exists first.
require 'json'

module Upkeep
  module Setup
    # The names of trackers, fields and pages: one definition (config/conventions.json), which the C++ host
    # is built from too.
    CONVENTIONS = JSON.parse(File.read(File.expand_path('../../config/conventions.json', __dir__))).freeze
    TRACKER = CONVENTIONS['trackers'].freeze
    FIELD = CONVENTIONS['fields'].freeze
    IMPACT = CONVENTIONS['impact_values'].freeze
    CONFIG_PAGE = CONVENTIONS['configuration_page'].freeze
    CALENDAR_FEED_FILE = CONVENTIONS['calendar_feed']['file'].freeze # kept attached to CONFIG_PAGE by `upkeep sync`
    CALENDAR_FEED_DESCRIPTION = CONVENTIONS['calendar_feed']['description'].freeze # then the calendar's hash
    CONTROL_TRACKER = TRACKER['control_task']
    FOLLOW_UP_TRACKER = TRACKER['follow_up']
    TRACKERS = TRACKER.values_at('control_task', 'corrective_action', 'nonconformity', 'follow_up').freeze
    CHANGE_TRACKER = TRACKER['change']
    IMPACT_FIELD = FIELD['impact'] # a change tracker's tickets need it for the prompt
    INCIDENT_TRACKER = TRACKER['incident'] # the metrics' default incident tracker (/metrics/incidents)
    SUPPLIER_TRACKER = TRACKER['supplier'] # the supplier register: one ticket per supplier (/suppliers)
    CRITICALITY = CONVENTIONS['criticality_values'].freeze
    MEMBER_ROLES = ['Manager', 'Developer', 'Reporter'].freeze
    # The auditor's seat: the ISMS tab and the tickets of Upkeep's trackers with their files, the wiki (the
    # configuration, and its history) to read, and nothing else: no other tracker, no edit, no sync.
    AUDITOR_ROLE = 'Auditor'
    AUDITOR_PERMISSIONS = %i[view_isms view_issues view_wiki_pages view_wiki_edits].freeze

    # name => attributes and the trackers it belongs to (:all = every Upkeep tracker, and those `also`
    # names). Every field is filterable, so the REST API can select by it (cf_ID=value).
    CUSTOM_FIELDS = {
      FIELD['key'] => { field_format: 'string', trackers: :all, also: [SUPPLIER_TRACKER], # a change's new supplier
                        description: 'Set by Upkeep on the tickets it creates: do not edit.' },
      FIELD['state'] => { field_format: 'string', trackers: :all,
                          description: 'What Upkeep last wrote on this ticket: do not edit.' },
      FIELD['reference'] => { field_format: 'string', trackers: :all,
                              description: 'ISO/IEC 27001:2022 clauses and Annex A controls.' },
      IMPACT_FIELD => { field_format: 'list', trackers: [CHANGE_TRACKER],
                        possible_values: IMPACT.values_at('unassessed', 'none', 'affects'),
                        default_value: IMPACT['unassessed'],
                        description: 'The answer to "does this change affect the ISMS?"' },
      FIELD['evidence_date'] => { field_format: 'date', trackers: [CONTROL_TRACKER, TRACKER['corrective_action']],
                                  description: 'The day the work was actually done.' },
      FIELD['grade'] => { field_format: 'list', trackers: [TRACKER['nonconformity']],
                          possible_values: ['Major', 'Minor', 'Opportunity for improvement'] },
      FIELD['source'] => { field_format: 'list', trackers: [TRACKER['nonconformity']],
                           possible_values: ['Internal audit', 'External audit', 'Missed control', 'Incident',
                                             'Management review', 'Interested party', 'Other'] },
      FIELD['root_cause'] => { field_format: 'text', trackers: [TRACKER['nonconformity']] },
      FIELD['evidence_links'] => { field_format: 'text', trackers: [CONTROL_TRACKER], text_formatting: 'full', # links show as links
                                   description: 'Links to the evidence, one per line (set by "Complete with evidence").' },
      FIELD['evidence_valid_until'] => { field_format: 'date', trackers: [CONTROL_TRACKER],
                                         description: 'The last day the evidence is valid (a certificate, a report); ' \
                                                      'Upkeep makes a renewal task before it (set by "Complete with evidence").' },
      FIELD['review_decisions'] => { field_format: 'text', trackers: [CONTROL_TRACKER],
                                     description: 'Management review (ISO 27001 9.3.3): one decision per line, ' \
                                                  '"owner: what to do (due YYYY-MM-DD)". Upkeep turns each line into a ticket.' },
      FIELD['people_in_scope'] => { field_format: 'int', trackers: [CONTROL_TRACKER],
                                    description: 'Training: how many people had to complete it.' },
      FIELD['people_completed'] => { field_format: 'int', trackers: [CONTROL_TRACKER],
                                     description: 'Training: how many people completed it.' },
      FIELD['severity'] => { field_format: 'list', trackers: [INCIDENT_TRACKER],
                             possible_values: ['Low', 'Medium', 'High', 'Critical'] },
      FIELD['occurred_on'] => { field_format: 'date', trackers: [INCIDENT_TRACKER] },
      FIELD['detected_on'] => { field_format: 'date', trackers: [INCIDENT_TRACKER] },
      FIELD['resolved_on'] => { field_format: 'date', trackers: [INCIDENT_TRACKER] },
      FIELD['criticality'] => { field_format: 'list', trackers: [SUPPLIER_TRACKER],
                                possible_values: CRITICALITY.values_at('critical', 'high', 'normal'),
                                default_value: CRITICALITY['normal'],
                                description: 'How much the ISMS depends on the supplier: sets how often Upkeep ' \
                                             'makes its review (/suppliers/reviews in the configuration).' },
      FIELD['service'] => { field_format: 'string', trackers: [SUPPLIER_TRACKER],
                            description: 'What the supplier provides.' },
      FIELD['information_handled'] => { field_format: 'text', trackers: [SUPPLIER_TRACKER],
                                        description: 'The kinds of information it handles (personal data, ' \
                                                     'customer data, source code, ...).' },
      FIELD['contract_end'] => { field_format: 'date', trackers: [SUPPLIER_TRACKER],
                                 description: 'When the contract ends or renews.' },
      FIELD['dpa_valid_until'] => { field_format: 'date', trackers: [SUPPLIER_TRACKER] },
      FIELD['certificate_valid_until'] => { field_format: 'date', trackers: [SUPPLIER_TRACKER] },
      FIELD['soc2_valid_until'] => { field_format: 'date', trackers: [SUPPLIER_TRACKER] },
      FIELD['pentest_valid_until'] => { field_format: 'date', trackers: [SUPPLIER_TRACKER] },
      FIELD['insurance_valid_until'] => { field_format: 'date', trackers: [SUPPLIER_TRACKER] },
      FIELD['corrective_actions'] => { field_format: 'text', trackers: [TRACKER['nonconformity']],
                                       description: 'One per line: "owner: what to do (due YYYY-MM-DD)". ' \
                                                    'Upkeep turns each line into a ticket.' }
    }.freeze

    module_function

    # Creates what is missing; returns a summary of what exists afterwards.
    def run!
      source = Tracker.find_by(name: 'Bug') || Tracker.first
      trackers = TRACKERS.map { |name| ensure_tracker(name, source) }
      change = Tracker.find_by(name: CHANGE_TRACKER) || ensure_tracker(CHANGE_TRACKER, source)
      trackers << change
      incident = Tracker.find_by(name: INCIDENT_TRACKER) || ensure_tracker(INCIDENT_TRACKER, source)
      supplier = ensure_tracker(SUPPLIER_TRACKER, source)
      fields = CUSTOM_FIELDS.map do |name, attributes|
        named = attributes[:trackers] == :all ? [] : attributes[:trackers]
        wanted = (attributes[:trackers] == :all ? trackers : []) |
                 (trackers + [incident, supplier]).select { |t| (named + attributes.fetch(:also, [])).include?(t.name) }
        ensure_custom_field(name, attributes.except(:trackers, :also), wanted)
      end
      MEMBER_ROLES.each { |name| grant_view_isms(Role.find_by(name: name)) }
      ensure_auditor_role(trackers + [incident, supplier])
      # Owners may be groups ("group:Security team"); Redmine assigns issues to groups only with this on,
      # a setting of the whole Redmine: said in the summary when the setup turns it on.
      notices = []
      unless Setting.issue_group_assignment?
        Setting.issue_group_assignment = '1'
        notices << 'turned on "Allow issue assignment to groups" (Administration > Settings > Issue tracking) ' \
                   'for the whole Redmine, so that owners can be groups; turn it off if groups must not be ' \
                   'assignees in other projects, and name people as owners'
      end
      { trackers: (trackers + [supplier]).map(&:name), custom_fields: fields.to_h { |f| [f.name, f.id] }, notices: notices }
    end

    # Enables the Upkeep module, trackers and fields in a project (keeping what it already has), and
    # protects its configuration page if it has one (a new one is protected as it is created).
    def enable_in!(project)
      project.enabled_module_names = (project.enabled_module_names | %w[issue_tracking wiki upkeep])
      project.trackers = (project.trackers.to_a | Tracker.where(name: TRACKERS + [CHANGE_TRACKER, INCIDENT_TRACKER, SUPPLIER_TRACKER]).to_a)
      project.issue_custom_fields = (project.issue_custom_fields.to_a | IssueCustomField.where(name: CUSTOM_FIELDS.keys).to_a)
      project.save!
      page = project.wiki&.find_page(CONFIG_PAGE)
      page.update_column(:protected, true) if page && !page.protected?
      project
    end

    def ensure_tracker(name, workflow_source)
      tracker = Tracker.find_by(name: name)
      return tracker if tracker

      tracker = Tracker.new(name: name, default_status: IssueStatus.order(:position).first)
      tracker.save!
      tracker.copy_workflow_rules(workflow_source) if workflow_source
      tracker
    end

    def ensure_custom_field(name, attributes, trackers)
      field = IssueCustomField.find_by(name: name)
      unless field
        field = IssueCustomField.new(name: name, is_filter: true, is_for_all: false, searchable: false, visible: true)
        field.attributes = attributes
        field.save!
      end
      field.default_value = attributes[:default_value] if attributes[:default_value] && field.default_value.blank?
      field.text_formatting = attributes[:text_formatting] if attributes[:text_formatting]
      field.trackers = (field.trackers.to_a | trackers)
      field.save! if field.changed?
      field
    end

    # Made with AUDITOR_PERMISSIONS, seeing every ticket (private ones too) of Upkeep's trackers and of no
    # other, and only the members of the projects it sees. Once it exists, only trackers Upkeep added since
    # are added to what it sees: an administrator's changes to the role stay.
    def ensure_auditor_role(trackers)
      role = Role.find_by(name: AUDITOR_ROLE)
      unless role
        role = Role.new(name: AUDITOR_ROLE, issues_visibility: 'all', users_visibility: 'members_of_visible_projects',
                        time_entries_visibility: 'own', assignable: false)
        role.permissions = AUDITOR_PERMISSIONS
        role.permissions_all_trackers = { 'view_issues' => '0' }
      end
      seen = role.permissions_tracker_ids(:view_issues).map(&:to_i)
      role.permissions_tracker_ids = { 'view_issues' => (seen | trackers.map(&:id)).map(&:to_s) } unless role.permissions_all_trackers?(:view_issues)
      role.save! if role.new_record? || role.changed?
      role
    end

    def grant_view_isms(role)
      return unless role
      return if role.permissions.include?(:view_isms)

      role.add_permission!(:view_isms)
    end
  end
end
