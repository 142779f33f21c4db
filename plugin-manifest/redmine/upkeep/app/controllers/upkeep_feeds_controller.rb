# The maintenance calendar as a feed for calendar programs: the newest iCalendar file that `upkeep sync`
# keeps attached to the configuration's wiki page. Calendar programs cannot log in, so, as with
# Redmine's own Atom feeds, the URL carries the subscriber's Atom access key; the "View ISMS"
# permission decides, as for the tab.
class UpkeepFeedsController < ApplicationController
  before_action :find_project_by_project_id, :authorize

  def calendar
    page = @project.wiki&.find_page(Upkeep::Setup::CONFIG_PAGE)
    # Only the copies Upkeep attached (their description carries the calendar's hash, and a sync account
    # of the configuration attached them), of a page the subscriber may see.
    file = page&.visible? ? upkeep_copies(page).max_by(&:id) : nil
    unless file&.readable?
      return render plain: "No calendar is published for this project yet: `upkeep sync` publishes it.\n",
                    status: :not_found
    end

    send_file file.diskfile, filename: file.filename, type: 'text/calendar; charset=utf-8', disposition: 'inline'
  end

  private

  # A file anyone who may edit the page attaches under the feed's name and description is theirs, not
  # served: the feed's copies are those of the accounts the configuration names as acting for Upkeep, as
  # its newest trusted version names them (a version saved by someone who may not guard the page widens
  # nothing).
  def upkeep_copies(page)
    accounts = Upkeep::ConfigurationPage.sync_accounts(Upkeep::ConfigurationPage.trusted_version(page)&.text)
    page.attachments.select do |a|
      a.filename == Upkeep::Setup::CALENDAR_FEED_FILE &&
        a.description.to_s.start_with?(Upkeep::Setup::CALENDAR_FEED_DESCRIPTION) &&
        accounts.include?(a.author&.login)
    end
  end

  # A browser has its session; a calendar program sends the Atom key (never starting a session).
  def find_current_user
    user = super
    return user if user
    return nil unless (request.get? || request.head?) && params[:key].present?

    user = User.find_by_atom_key(params[:key])
    user.remote_ip = request.remote_ip if user
    user
  end
end
