# View hooks: Upkeep's panels on issue pages: evidence and "Complete with evidence" on control tasks,
# the "does this change affect the ISMS?" prompt on other tickets (the script shows it only on the
# trackers the ISMS configuration names as changes).
module Upkeep
  class Hooks < Redmine::Hook::ViewListener
    def view_issues_show_description_bottom(context = {})
      issue = context[:issue]
      return '' unless issue && issue.project.module_enabled?(:upkeep) && User.current.allowed_to?(:view_isms, issue.project)

      partial = issue.tracker&.name == Upkeep::Setup::CONTROL_TRACKER ? 'upkeep/control_task' : 'upkeep/change_prompt'
      return '' if partial == 'upkeep/change_prompt' && Upkeep::Setup::TRACKERS.include?(issue.tracker&.name)

      context[:hook_caller].send(:render, partial: partial, locals: { issue: issue })
    end
  end
end
