// The syntax error messages: one per commitment point of the grammar. The parser
// appends what it found instead (", found `x`").
#pragma once
#include "grammar/grammar.hpp"

namespace slac::grammar {

template< typename Rule >
inline constexpr const char* error_message = nullptr;

// Rules that expect a name: a reserved word found there gets its own message.
template< typename Rule >
inline constexpr bool expects_name = false;

// Rules that expect one literal: an error there points at the start of the malformed
// token and quotes it whole (`2026-1-1`, not `-`).
template< typename Rule >
inline constexpr bool expects_value = false;

#define SLAC_ERROR( rule, text ) \
   template<>                    \
   inline constexpr const char* error_message< rule > = text
#define SLAC_NAME_ERROR( rule, text ) \
   SLAC_ERROR( rule, text );          \
   template<>                         \
   inline constexpr bool expects_name< rule > = true

// clang-format off
SLAC_ERROR( string_escape_char, "expected an escape (`\\\"`, `\\\\`, `\\n` or `\\t`) after `\\`" );
SLAC_ERROR( string_close, "expected `\"` to end the string" );
SLAC_NAME_ERROR( attr_name, "expected an attribute name after `.`" );
SLAC_ERROR( cmp_value, "expected a value to compare with" );
SLAC_ERROR( in_member, "expected a value in `{ }`" );
SLAC_ERROR( in_close, "expected `,` or `}` in the value list" );
SLAC_ERROR( single_equals, "use `==` to compare; `=` only appears in declarations" );
SLAC_NAME_ERROR( seen_signal, "expected a signal name after `seen`" );
SLAC_ERROR( seen_within, "expected `within` after the signal of `seen`" );
SLAC_ERROR( seen_duration, "expected a duration after `within` (such as `10m`)" );
SLAC_NAME_ERROR( during_calendar, "expected a calendar name after `during`" );
SLAC_ERROR( guarded< paren_inner >, "expected a condition after `(`" );
SLAC_ERROR( paren_close, "expected `)`" );
SLAC_ERROR( lasting_at_least, "expected `at least` after `lasting`" );
SLAC_ERROR( lasting_duration, "expected a duration after `lasting at least` (such as `5m`)" );
SLAC_ERROR( gaps_under, "expected `gaps under` after `ignoring`" );
SLAC_ERROR( gaps_duration, "expected a duration after `ignoring gaps under` (such as `5m`)" );
SLAC_ERROR( cap_duration, "expected a duration after `up to` (such as `10d`)" );
SLAC_ERROR( cap_allowance, "expected `each` or `per calendar day|week|month|quarter|year` after `up to` and its duration" );
SLAC_ERROR( cap_calendar, "expected `calendar` after `per` (such as `per calendar year`)" );
SLAC_ERROR( cap_unit, "expected `day`, `week`, `month`, `quarter` or `year` after `per calendar`" );
SLAC_ERROR( guarded< not_operand >, "expected a condition after `not`" );
SLAC_ERROR( and_operand, "expected a condition after `and`" );
SLAC_ERROR( or_operand, "expected a condition after `or`" );
SLAC_ERROR( too_deep, "condition nested too deeply: more than 100 levels of parentheses, `not`, `lasting at least`, `ignoring gaps under` and `up to`; name a part of it as a state" );

SLAC_ERROR( contract_name, "expected the contract's name in quotes after `contract`" );
SLAC_ERROR( header_string, "expected text in quotes" );
SLAC_ERROR( currency_code, "expected a currency code (such as `GBP`) after `currency`" );
SLAC_ERROR( import_path, "expected a file in quotes after `import` (such as \"std/ev-charging\")" );
SLAC_NAME_ERROR( decl_name, "expected a name" );
SLAC_ERROR( decl_equals, "expected `=`" );
SLAC_ERROR( decl_colon, "expected `:` and a type after the name" );
SLAC_ERROR( param_value, "expected a value after `=` (such as `90%`, `3`, `4h`, `10000` or `true`)" );
SLAC_ERROR( enum_open, "expected `{` after `enum`" );
SLAC_NAME_ERROR( enum_member, "expected an enum member name" );
SLAC_ERROR( enum_close, "expected `,` or `}` in the enum" );
SLAC_ERROR( type_ref, "expected a type: bool, number, string, event, timezone or enum { ... }" );
SLAC_ERROR( default_value, "expected a default value after `=`" );
SLAC_ERROR( site_decl_body, "expected `signal` or `attribute` after `site`" );
SLAC_ERROR( device_decl_body, "expected `attribute` after `device` (device signals are declared with `signal`)" );
SLAC_ERROR( holiday_date, "expected a date (YYYY-MM-DD)" );
SLAC_ERROR( day_range_end, "expected a day (mon, tue, wed, thu, fri, sat or sun) after `-`" );
SLAC_ERROR( clock_start, "expected a start time (HH:MM)" );
SLAC_ERROR( clock_dash, "expected `-` between the start and end times" );
SLAC_ERROR( clock_end, "expected an end time (HH:MM)" );
SLAC_ERROR( first_span, "expected days and hours (such as `mon-fri 08:00-18:00` or `daily 00:00-24:00`)" );
SLAC_ERROR( next_span, "expected days and hours after `,` (such as `sat 09:00-13:00`)" );
SLAC_ERROR( kw_timezone, "expected `timezone` after `in site`" );
SLAC_ERROR( zone_spec, "expected `site timezone` or a time zone in quotes (such as \"Europe/London\") after `in`" );
SLAC_NAME_ERROR( holidays_ref, "expected the name of a holidays list" );
SLAC_ERROR( state_expr, "expected a condition after `=`" );

SLAC_ERROR( calendar_unit, "expected day, week, month, quarter or year after `calendar`" );
SLAC_ERROR( rolling_count, "expected a number of days, weeks, hours or months after `rolling`" );
SLAC_ERROR( rolling_unit, "expected days, weeks, hours or months" );
SLAC_ERROR( window_start_what, "expected a time of day (HH:MM), or a day and a time (`mon 08:00`), after `starting`" );
SLAC_ERROR( window_kind, "expected `calendar`, `rolling`, `period of` or `NAME period` (a declared periods list) after `in any`" );
SLAC_ERROR( period_count, "expected a number of days or weeks after `period of`" );
SLAC_ERROR( period_unit, "expected days or weeks" );
SLAC_ERROR( period_starting, "expected `starting` and the date on which one of the periods starts" );
SLAC_ERROR( period_anchor, "expected a date (YYYY-MM-DD) after `starting`" );
SLAC_ERROR( period_date, "expected a date (YYYY-MM-DD)" );
SLAC_ERROR( where_condition, "expected a condition after `where`" );
SLAC_ERROR( any_target, "expected `site`, `device` or a device attribute after `on any`" );
SLAC_ERROR( every_site_word, "expected `site` after `on every`" );
SLAC_ERROR( grouping_percent_value, "expected a percentage after `on at least`" );
SLAC_ERROR( of_sites, "expected `of sites` after the percentage" );
SLAC_ERROR( grouping_target, "expected `any`, `every`, `at least` or `average` after `on`" );
SLAC_ERROR( all_sites_words, "expected `all sites` after `across`" );
SLAC_ERROR( requirement_amount, "expected a count, a percentage or `site.ATTRIBUTE` after `at least`" );
SLAC_ERROR( requirement_state, "expected a state (what each device must be)" );
SLAC_ERROR( kw_devices, "expected `devices` after `of`" );
SLAC_NAME_ERROR( weight_attribute, "expected a device attribute after `weighted by`" );
SLAC_ERROR( kw_by, "expected `by` after `weighted`" );
SLAC_ERROR( at_most_amount, "expected a count" );
SLAC_ERROR( no_more_than_words, "expected `more than` after `no`" );
SLAC_ERROR( for_comparison, "expected `at least` or `more than` after `for`" );
SLAC_ERROR( for_percent, "expected a percentage after `for at least` (or `for more than`)" );
SLAC_ERROR( of_what, "expected `the time`, a calendar, a duration (such as `525600m`) or `SIGNAL events` after `of`" );
SLAC_NAME_ERROR( events_signal, "expected a signal after `of`, as in `attempt == success of attempt events`" );
SLAC_ERROR( events_word, "expected `events` after the signal: an event measure is written `CONDITION of SIGNAL events`" );
SLAC_ERROR( mean_expr, "expected a number expression after `mean of`, as in `mean of 100% - error_rate`" );
SLAC_ERROR( num_factor, "expected a number, a percentage, a number signal, attribute or param, or `(`, after the operator" );
SLAC_ERROR( num_term, "expected a number, a percentage, a number signal, attribute or param, or `(`, after the operator" );
SLAC_ERROR( guarded< num_paren_inner >, "expected a number expression after `(`" );
SLAC_ERROR( num_paren_close, "expected `)` to close the expression, or an operator (`+ - * /`)" );
SLAC_ERROR( mean_unknown_value, "expected a number after `unknown as`, as in `unknown as 0`" );
SLAC_ERROR( rounded_step, "expected a percentage after `rounded to` (such as `0.1%`)" );
SLAC_ERROR( downtime_duration, "expected a duration after `less than` (such as `4h`)" );
SLAC_ERROR( downtime_of, "expected `of downtime` after the duration, as in `with at most 4h of downtime`" );
SLAC_ERROR( kw_time, "expected `time` after `of the`" );
SLAC_ERROR( longer_than, "expected `longer than` after `no outage`" );
SLAC_ERROR( outage_duration, "expected a duration after `longer than` (such as `4h`)" );
SLAC_ERROR( outage_count, "expected a number of outages after `at most`" );
SLAC_ERROR( outages_word, "expected `outages` after the count" );
SLAC_ERROR( with_what, "expected `no outage longer than`, `at most N outages`, `at most D of downtime` or `less than D of downtime` after `with`" );
SLAC_ERROR( only_condition, "expected a condition after `only`" );
SLAC_ERROR( excluding_condition, "expected a condition after `excluding`" );
SLAC_ERROR( penalty_what, "expected an amount, `cap AMOUNT` or `{ below P%: AMOUNT, ... }` after `penalty`" );
SLAC_ERROR( penalty_amount, "expected an amount" );
SLAC_ERROR( guarded< amount_paren_inner >, "expected an amount after `(`" );
SLAC_ERROR( amount_paren_close, "expected `)` to close the amount" );
SLAC_ERROR( amount_factor, "expected an amount after the operator: a number, a param, `site.NAME`, `device.NAME`, `attainment`, `shortfall`, `downtime_hours` or `( )`" );
SLAC_ERROR( amount_term, "expected an amount after the operator: a number, a param, `site.NAME`, `device.NAME`, `attainment`, `shortfall`, `downtime_hours` or `( )`" );
SLAC_ERROR( penalty_end, "unexpected text after the penalty amount; another clause on the same line needs a `,` before it" );
SLAC_ERROR( clause_end, "expected `,` or a line end after the clause" );
SLAC_ERROR( decimal_comma, "a decimal is written with `.`" );
SLAC_ERROR( thousands_comma, "an amount is written without `,` (which separates clauses)" );
SLAC_ERROR( any_device_attribute, "expected a device attribute's name alone after `on any` to group by it, as in `on any kind` (not `on any device.kind`)" );
SLAC_ERROR( tier_threshold, "expected a percentage after `below`" );
SLAC_ERROR( tier_colon, "expected `:` between the threshold and the amount" );
SLAC_ERROR( first_tier, "expected a tier such as `below 99%: 1000`" );
SLAC_ERROR( tiers_close, "expected another `below P%: AMOUNT` or `}`" );
SLAC_ERROR( warn_below, "expected `below` after `warn`" );
SLAC_ERROR( warn_percent, "expected a percentage after `warn below`" );
SLAC_ERROR( counted_length, "expected an interval length after `counted in` (such as `1m`, as in `counted in 1m intervals, failed if any`)" );
SLAC_ERROR( counted_intervals, "expected `intervals` after the length, as in `counted in 1m intervals, failed if any`" );
SLAC_ERROR( counted_comma, "expected `, failed if ...` after `intervals`: the clause reads `counted in D intervals, failed if any` (or `all`, or `over P%`)" );
SLAC_ERROR( counted_failed_if, "expected `failed if` after the comma, as in `counted in 1m intervals, failed if any`" );
SLAC_ERROR( counted_failed_how, "expected `any`, `all` or `over P%` after `failed if`" );
SLAC_ERROR( failed_over_percent, "expected a percentage after `failed if over` (such as `50%`)" );
SLAC_ERROR( sla_clause, "expected a clause (in any ..., on ..., at least ..., for at least ..., with ..., during, only, excluding, penalty, warn below)" );
SLAC_ERROR( sla_close, "expected `}` to close the block" );
SLAC_NAME_ERROR( sla_name, "expected a name" );
SLAC_ERROR( sla_open, "expected `{` after the name" );

SLAC_ERROR( attr_value, "expected a value" );
SLAC_ERROR( attr_block_close, "expected `name = value` or `}`" );
SLAC_ERROR( test_time, "expected a time (such as `2026-03-02 08:00` or `2026-03-02T08:00:00Z`)" );
SLAC_ERROR( test_to, "expected `to` and the end time" );
SLAC_NAME_ERROR( test_param, "expected a param name after `set`" );
SLAC_ERROR( test_entity, "expected an id (a word or text in quotes)" );
SLAC_ERROR( device_at, "expected `at` and the device's site" );
SLAC_NAME_ERROR( event_signal, "expected a signal name" );
SLAC_ERROR( repeat_every, "expected a duration or `day at HH:MM` after `every`" );
SLAC_ERROR( repeat_from, "expected `from` and the first time" );
SLAC_ERROR( expect_value, "expected a value" );
SLAC_ERROR( kw_near, "expected `near miss` after `not`" );
SLAC_ERROR( kw_miss, "expected `miss` after `near`" );
SLAC_ERROR( attainment_what, "expected a percentage or `none` after `attainment`" );
SLAC_ERROR( kw_outage, "expected `outage` after `longest`" );
SLAC_ERROR( kw_penalty, "expected `penalty` after `total`" );
SLAC_ERROR( rounded_attainment_word, "expected `attainment` after `rounded`" );
SLAC_ERROR( expect_predicate, "expected met, breached, near miss, not near miss, attainment, rounded attainment, penalty, outages, longest outage, measured, good, downtime, events or good events" );
SLAC_ERROR( expect_window_time, "expected a window start (such as `2026`, `2026-03` or `2026-03-02`)" );
SLAC_ERROR( expect_group_id, "expected a group id (a word or text in quotes), or `*` for `across all sites`" );
SLAC_ERROR( expect_what, "expected an SLA or KPI name, or `total penalty`, after `expect`" );
SLAC_ERROR( test_item, "expected a test item (from ... to ..., set, site, device, at, every, expect)" );
SLAC_ERROR( test_close, "expected `}` to close the test" );
SLAC_ERROR( test_name, "expected the test's name in quotes after `test`" );
SLAC_ERROR( test_open, "expected `{` after the test's name" );

SLAC_ERROR( statement, "expected a declaration (contract, import, param, signal, site, device, holidays, periods, calendar, state, sla, kpi or test)" );
// clang-format on

#define SLAC_VALUE_RULES( X ) \
   X( cmp_value ) X( in_member ) X( seen_duration ) X( lasting_duration ) X( gaps_duration ) X( cap_duration ) X( param_value ) \
   X( default_value ) X( holiday_date ) X( period_date ) X( period_anchor ) X( period_count ) X( clock_start ) X( clock_end ) X( rolling_count ) X( grouping_percent_value ) \
   X( requirement_amount ) X( at_most_amount ) X( for_percent ) X( rounded_step ) X( mean_unknown_value ) X( downtime_duration ) X( outage_duration ) X( outage_count ) \
   X( penalty_amount ) X( amount_factor ) X( amount_term ) X( tier_threshold ) X( warn_percent ) X( counted_length ) X( failed_over_percent ) X( attr_value ) X( test_time ) X( repeat_every ) \
   X( expect_value ) X( expect_window_time ) X( attainment_what )
#define SLAC_VALUE_RULE( rule ) \
   template<>                   \
   inline constexpr bool expects_value< rule > = true;
SLAC_VALUE_RULES( SLAC_VALUE_RULE )

#undef SLAC_VALUE_RULE
#undef SLAC_VALUE_RULES
#undef SLAC_ERROR
#undef SLAC_NAME_ERROR

}  // namespace slac::grammar
