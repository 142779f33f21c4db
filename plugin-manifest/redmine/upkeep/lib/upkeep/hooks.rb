# View hooks: Upkeep's panel on control-task pages (evidence expected, "Complete with evidence").
module Upkeep
  class Hooks < Redmine::Hook::ViewListener
    render_on :view_issues_show_description_bottom, partial: 'upkeep/control_task'
  end
end
