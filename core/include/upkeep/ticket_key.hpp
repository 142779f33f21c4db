#pragma once
// The Upkeep key every ticket Upkeep makes carries in a filterable field, so that a rerun after any
// crash finds it again and makes no duplicate. One type parses and formats every form:
//   control:<activity>:<due>            a control task (one occurrence of an activity)
//   nc:missed:control:<activity>:<due>  the nonconformity proposed for a control task missed too long
//   ca:<nonconformity>:<hash>           a corrective action (one line of a nonconformity)
//   verify:<nonconformity>              the verification of a nonconformity's corrective actions
//   change:<change>:<rule>[:<n>]        a follow-up of a change's assessment (n: its generation, from 2)
//   decision:<review>:<hash>            a management review decision (one line of a review ticket)
//   supplier:<change>:<rule>            the supplier the change prompt added to the register for a change's
//                                       supplier follow-up (the register's ticket, never the sync's)

#include "upkeep/dates.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace upkeep {

enum class ticket_key_kind {
    none,
    control,
    missed_control,
    corrective_action,
    verification,
    follow_up,
    decision,
    supplier
};

struct ticket_key {
    ticket_key_kind kind = ticket_key_kind::none;
    std::string activity; // control, missed_control: the activity's id
    day_point due{};      // control, missed_control: the occurrence's due date
    long long number = 0; // the ticket it belongs to: nonconformity, change (also a supplier's) or review
    std::string tail;     // corrective_action, decision: the line's hash; follow_up, supplier: the rule's id
    int generation = 1;   // follow_up: 2 and up when a withdrawn follow-up was called for again

    /// Whether this is a well-formed key of some kind.
    bool ok() const { return kind != ticket_key_kind::none; }

    /// The key's text; "" when !ok(). parse(format()) gives the same key back.
    std::string format() const;

    /// Any of the forms above; a key of none of them is !ok() (never an exception).
    static ticket_key parse(std::string_view text);

    /// `control:access-review:2027-03-31`.
    static ticket_key control(std::string activity, day_point due);
};

/// Among tickets that share a key (a copied ticket, a restore, two syncs at once), the one that counts has
/// the lowest rank, then the lowest number: closed with recorded work (a work date or evidence), closed,
/// open with recorded work, open, and last one that Upkeep closed as a duplicate. The status counts that
/// one; the sync keeps it and closes the others it may.
int duplicate_rank(bool closed, bool work_recorded, bool closed_as_duplicate);

/// A ticket number (1 .. 2^53 - 1) written in full, no sign, no leading zero; none for other text.
std::optional<long long> ticket_number(std::string_view text);

} // namespace upkeep
