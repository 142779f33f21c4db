# The ISMS project tab. Only members with the "View ISMS" permission get here; the page script then
# reads the configuration through the REST API as the logged-in user (the plugin's relay on their
# session), so Redmine's permissions decide what it can see.
class UpkeepIsmsController < ApplicationController
  menu_item :upkeep_isms
  before_action :find_project_by_project_id, :authorize

  def show; end
end
