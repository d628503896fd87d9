using wb from '../db/schema';

// served at /odata/v4/cases
service CasesService {
  // email is neither filterable nor sortable here, so metadata validation can be checked
  // against Capabilities annotations a real server publishes.
  @Capabilities.FilterRestrictions.NonFilterableProperties: [email]
  @Capabilities.SortRestrictions.NonSortableProperties: [email]
  entity Users as projection on wb.Users;
  entity Cases as projection on wb.Cases;
  entity Tasks as projection on wb.Tasks;
  entity Labels as projection on wb.Labels;
  // The same tasks behind server-driven paging (CAP ignores Prefer: odata.maxpagesize), so
  // following @odata.nextLink and a maximum page size can be tested: pages of 10, at most 30.
  @cds.query.limit: { default: 10, max: 30 }
  @cds.redirection.target: false
  entity PagedTasks as projection on wb.Tasks;
}
