# An issue's lock_version, which Redmine's REST API does not show. The change prompt reads it before it
# records an assessment and sends it back with the PUT, so Redmine's own optimistic locking refuses
# (422) an answer that would overwrite one recorded meanwhile. Only for those the prompt is for: members
# who may view the ISMS, in a project with Upkeep's module on.
class UpkeepLocksController < ApplicationController
  accept_api_auth :show
  before_action :find_issue, :authorize_isms

  def show
    render json: { issue: { id: @issue.id, lock_version: @issue.lock_version } }
  end

  private

  def authorize_isms
    deny_access unless @project.module_enabled?(:upkeep) && User.current.allowed_to?(:view_isms, @project)
  end
end
