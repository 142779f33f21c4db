# The maintenance calendar as a feed for calendar programs: the newest iCalendar file that `upkeep sync`
# keeps attached to the configuration's wiki page. Calendar programs cannot log in, so, as with
# Redmine's own Atom feeds, the URL carries the subscriber's Atom access key; the "View ISMS"
# permission decides, as for the tab.
class UpkeepFeedsController < ApplicationController
  before_action :find_project_by_project_id, :authorize

  def calendar
    page = @project.wiki&.find_page(Upkeep::Setup::CONFIG_PAGE)
    file = page&.attachments&.select { |a| a.filename == Upkeep::Setup::CALENDAR_FEED_FILE }&.max_by(&:id)
    unless file&.readable?
      return render plain: "No calendar is published for this project yet: `upkeep sync` publishes it.\n",
                    status: :not_found
    end

    send_file file.diskfile, filename: file.filename, type: 'text/calendar; charset=utf-8', disposition: 'inline'
  end

  private

  # A browser has its session; a calendar program sends the Atom key (never starting a session).
  def find_current_user
    user = super
    return user if user
    return nil unless request.get? && params[:key].present?

    User.find_by_atom_key(params[:key])
  end
end
