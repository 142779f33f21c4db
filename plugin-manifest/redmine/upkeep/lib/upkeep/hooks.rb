# View hooks: Upkeep's panels on issue pages: evidence and "Complete with evidence" on control tasks,
# the "does this change affect the ISMS?" prompt on tickets that have the "ISMS impact" field (the
# script shows it only on the trackers the ISMS configuration names as changes). Other tickets get
# nothing: no script, no wasm, no REST reads.
module Upkeep
  class Hooks < Redmine::Hook::ViewListener
    def view_issues_show_description_bottom(context = {})
      issue = context[:issue]
      return '' unless issue && issue.project.module_enabled?(:upkeep) && User.current.allowed_to?(:view_isms, issue.project)

      partial = issue.tracker&.name == Upkeep::Setup::CONTROL_TRACKER ? 'upkeep/control_task' : 'upkeep/change_prompt'
      if partial == 'upkeep/change_prompt'
        return '' if Upkeep::Setup::TRACKERS.include?(issue.tracker&.name)
        return '' unless issue.available_custom_fields.any? { |f| f.name == Upkeep::Setup::IMPACT_FIELD }
      end

      context[:hook_caller].send(:render, partial: partial, locals: { issue: issue })
    end
  end
end
