using wb from '../db/schema';

// served at /odata/v4/cases
service CasesService {
  entity Users as projection on wb.Users;
  entity Cases as projection on wb.Cases;
  entity Tasks as projection on wb.Tasks;
}
