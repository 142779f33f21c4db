# The ISMS project tab. Only members with the "View ISMS" permission get here; the page script then
# reads the configuration through the REST API with the user's own key, so Redmine's permissions
# decide what it can see.
class UpkeepIsmsController < ApplicationController
  menu_item :upkeep_isms
  before_action :find_project_by_project_id, :authorize

  def show; end
end
