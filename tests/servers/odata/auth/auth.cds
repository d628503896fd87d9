using CasesService from '../srv/service';
annotate CasesService with @(requires: 'authenticated-user');
