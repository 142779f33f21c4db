namespace :upkeep do
  desc 'Create the trackers, custom fields and permissions Upkeep needs (safe to rerun). PROJECT=identifier enables Upkeep there.'
  task setup: :environment do
    summary = Upkeep::Setup.run!
    if ENV['PROJECT'].present?
      Upkeep::Setup.enable_in!(Project.find_by!(identifier: ENV['PROJECT']))
      summary[:enabled_in] = ENV['PROJECT']
    end
    puts summary.to_json
  end
end
