# An issue's lock_version, which Redmine's REST API does not show. The change prompt reads it before it
# records an assessment and sends it back with the PUT, so Redmine's own optimistic locking refuses
# (422) an answer that would overwrite one recorded meanwhile. Anyone who can see the issue may read it.
class UpkeepLocksController < ApplicationController
  accept_api_auth :show
  before_action :find_issue

  def show
    render json: { issue: { id: @issue.id, lock_version: @issue.lock_version } }
  end
end
